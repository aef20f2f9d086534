package tml.runtime.quantum;

/**
 * The statevector loops. Each works in place on an interleaved amplitude array over a slice
 * [lo, hi) of its own iteration space (pairs, amplitudes or groups) so that callers can split
 * the work into chunks; every output amplitude is computed by the same arithmetic whatever the
 * slicing, which keeps parallel results bit-identical.
 */
final class Kernels {
    private Kernels() {}

    /**
     * A 2×2 matrix m = {m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i} on qubit q. Iteration space:
     * the 2^(n-1) amplitude pairs.
     */
    static void single(double[] a, int q, double[] m, int lo, int hi) {
        final double ar = m[0], ai = m[1], br = m[2], bi = m[3], cr = m[4], ci = m[5], dr = m[6], di = m[7];
        if (q == 0) {
            for (int k = lo; k < hi; k++) {
                int p = 4 * k;
                double xr = a[p], xi = a[p + 1], yr = a[p + 2], yi = a[p + 3];
                a[p] = ar * xr - ai * xi + br * yr - bi * yi;
                a[p + 1] = ar * xi + ai * xr + br * yi + bi * yr;
                a[p + 2] = cr * xr - ci * xi + dr * yr - di * yi;
                a[p + 3] = cr * xi + ci * xr + dr * yi + di * yr;
            }
            return;
        }
        final int low = (1 << q) - 1, off = 2 << q;
        if (q >= BLOCKED_MIN_QUBIT) {
            singleBlocked(a, q, m, lo, hi);
            return;
        }
        int k = lo;
        while (k < hi) {
            int end = Math.min(hi, (k | low) + 1);
            int p = 2 * (((k >>> q) << (q + 1)) | (k & low));
            for (int pEnd = p + 2 * (end - k); p < pEnd; p += 2) {
                int r = p + off;
                double xr = a[p], xi = a[p + 1], yr = a[r], yi = a[r + 1];
                a[p] = ar * xr - ai * xi + br * yr - bi * yi;
                a[p + 1] = ar * xi + ai * xr + br * yi + bi * yr;
                a[r] = cr * xr - ci * xi + dr * yr - di * yi;
                a[r + 1] = cr * xi + ci * xr + dr * yi + di * yr;
            }
            k = end;
        }
    }

    /** From this qubit on, the partner amplitudes are far apart and are streamed through a small buffer. */
    static final int BLOCKED_MIN_QUBIT = 18;
    private static final int BLOCK = 1024;

    /**
     * {@link #single} for high qubits: the two halves of each pair lie 2^(q+1) doubles apart, and
     * alternating single accesses to two distant regions defeat DRAM locality. Each block of the
     * upper half is copied to an L1-resident buffer, updated with the lower half, and copied back,
     * so memory sees long sequential bursts. Same arithmetic, so bit-identical results.
     */
    private static void singleBlocked(double[] a, int q, double[] m, int lo, int hi) {
        final double ar = m[0], ai = m[1], br = m[2], bi = m[3], cr = m[4], ci = m[5], dr = m[6], di = m[7];
        final int low = (1 << q) - 1, off = 2 << q;
        final double[] buf = new double[2 * BLOCK];
        int k = lo;
        while (k < hi) {
            int end = Math.min(hi, (k | low) + 1);
            int p = 2 * (((k >>> q) << (q + 1)) | (k & low));
            while (k < end) {
                int len = Math.min(BLOCK, end - k);
                System.arraycopy(a, p + off, buf, 0, 2 * len);
                for (int j = 0; j < 2 * len; j += 2) {
                    double xr = a[p + j], xi = a[p + j + 1], yr = buf[j], yi = buf[j + 1];
                    a[p + j] = ar * xr - ai * xi + br * yr - bi * yi;
                    a[p + j + 1] = ar * xi + ai * xr + br * yi + bi * yr;
                    buf[j] = cr * xr - ci * xi + dr * yr - di * yi;
                    buf[j + 1] = cr * xi + ci * xr + dr * yi + di * yr;
                }
                System.arraycopy(buf, 0, a, p + off, 2 * len);
                p += 2 * len;
                k += len;
            }
        }
    }

    /** X on qubit q (a swap of amplitude pairs). Iteration space: pairs. */
    static void pauliX(double[] a, int q, int lo, int hi) {
        final int low = (1 << q) - 1, off = 2 << q;
        for (int k = lo; k < hi; k++) {
            int p = 2 * (((k >>> q) << (q + 1)) | (k & low)), r = p + off;
            double t0 = a[p], t1 = a[p + 1];
            a[p] = a[r];
            a[p + 1] = a[r + 1];
            a[r] = t0;
            a[r + 1] = t1;
        }
    }

    /**
     * diag(d0, d1) on qubit q, d = {d0r, d0i, d1r, d1i}. Iteration space: the 2^(n-1) pairs. Low
     * qubits use one branch-free loop; from qubit 3 on each contiguous run of the 0-half and of
     * the 1-half is a separate streaming loop, and a trivial d0 = 1 (phase gates) skips its half.
     */
    static void diagonal1(double[] a, int q, double[] d, int lo, int hi) {
        final double d0r = d[0], d0i = d[1], d1r = d[2], d1i = d[3];
        final int low = (1 << q) - 1, off = 2 << q;
        if (q < 3) {
            for (int k = lo; k < hi; k++) {
                int p = 2 * (((k >>> q) << (q + 1)) | (k & low)), r = p + off;
                double xr = a[p], xi = a[p + 1], yr = a[r], yi = a[r + 1];
                a[p] = d0r * xr - d0i * xi;
                a[p + 1] = d0r * xi + d0i * xr;
                a[r] = d1r * yr - d1i * yi;
                a[r + 1] = d1r * yi + d1i * yr;
            }
            return;
        }
        final boolean trivial0 = d0r == 1 && d0i == 0;
        int k = lo;
        while (k < hi) {
            int end = Math.min(hi, (k | low) + 1);
            int p = 2 * (((k >>> q) << (q + 1)) | (k & low)), len = 2 * (end - k);
            if (!trivial0) scaleRun(a, p, p + len, d0r, d0i);
            scaleRun(a, p + off, p + off + len, d1r, d1i);
            k = end;
        }
    }

    private static void scaleRun(double[] a, int from, int to, double er, double ei) {
        for (int p = from; p < to; p += 2) {
            double xr = a[p], xi = a[p + 1];
            a[p] = er * xr - ei * xi;
            a[p + 1] = er * xi + ei * xr;
        }
    }

    /**
     * A diagonal gate on several qubits: amplitude i is multiplied by d[idx] (d interleaved re, im)
     * where idx collects bit qubits[j] of i into bit j. Iteration space: all 2^n amplitudes.
     */
    static void diagonal(double[] a, int[] qubits, double[] d, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            int idx = 0;
            for (int j = 0; j < qubits.length; j++) idx |= (i >>> qubits[j] & 1) << j;
            int p = 2 * i;
            double xr = a[p], xi = a[p + 1], er = d[2 * idx], ei = d[2 * idx + 1];
            a[p] = er * xr - ei * xi;
            a[p + 1] = er * xi + ei * xr;
        }
    }

    /**
     * A 2×2 matrix on {@code target} applied where all bits of {@code controlMask} are set.
     * {@code sorted} are the control and target positions ascending. Iteration space: 2^(n-1-controls).
     */
    static void controlled(double[] a, int controlMask, int[] sorted, int target, double[] m, int lo, int hi) {
        final double ar = m[0], ai = m[1], br = m[2], bi = m[3], cr = m[4], ci = m[5], dr = m[6], di = m[7];
        final int off = 2 << target;
        for (int k = lo; k < hi; k++) {
            int i = insertZeros(k, sorted) | controlMask;
            int p = 2 * i, r = p + off;
            double xr = a[p], xi = a[p + 1], yr = a[r], yi = a[r + 1];
            a[p] = ar * xr - ai * xi + br * yr - bi * yi;
            a[p + 1] = ar * xi + ai * xr + br * yi + bi * yr;
            a[r] = cr * xr - ci * xi + dr * yr - di * yi;
            a[r + 1] = cr * xi + ci * xr + dr * yi + di * yr;
        }
    }

    /**
     * A dense 2^k×2^k matrix (row-major re, im) on qubits (operand j = matrix bit j); {@code sorted}
     * are the positions ascending. Iteration space: 2^(n-k) groups.
     */
    static void dense(double[] a, int[] qubits, int[] sorted, double[] mre, double[] mim, int lo, int hi) {
        final int d = 1 << qubits.length;
        final int[] off = new int[d];
        for (int j = 0; j < d; j++)
            for (int b = 0; b < qubits.length; b++) if ((j >> b & 1) != 0) off[j] |= 1 << qubits[b];
        final double[] vr = new double[d], vi = new double[d];
        for (int k = lo; k < hi; k++) {
            int base = insertZeros(k, sorted);
            for (int j = 0; j < d; j++) {
                int p = 2 * (base | off[j]);
                vr[j] = a[p];
                vi[j] = a[p + 1];
            }
            for (int r = 0; r < d; r++) {
                double sr = 0, si = 0;
                int row = r * d;
                for (int c = 0; c < d; c++) {
                    double er = mre[row + c], ei = mim[row + c];
                    sr += er * vr[c] - ei * vi[c];
                    si += er * vi[c] + ei * vr[c];
                }
                int p = 2 * (base | off[r]);
                a[p] = sr;
                a[p + 1] = si;
            }
        }
    }

    /** k with a zero bit inserted at each of the ascending positions. */
    static int insertZeros(int k, int[] sorted) {
        for (int s : sorted) k = ((k >>> s) << (s + 1)) | (k & ((1 << s) - 1));
        return k;
    }
}
