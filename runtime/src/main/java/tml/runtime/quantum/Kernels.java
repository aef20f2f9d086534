package tml.runtime.quantum;

/**
 * The statevector loops for diagonal and dense gates ({@link PairKernels} has the 2×2 updates).
 * Each works in place on an interleaved amplitude array over a slice [lo, hi) of its own
 * iteration space (pairs, amplitudes or groups) so that callers can split the work into chunks;
 * every output amplitude is computed by the same arithmetic whatever the slicing, which keeps
 * parallel results bit-identical.
 */
final class Kernels {
    private Kernels() {}

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
