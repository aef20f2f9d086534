package tml.runtime.quantum;

/**
 * 2×2 updates of amplitude pairs: single-qubit gates, controlled single-qubit gates and swaps. Each
 * works in place on the interleaved amplitude array over a slice [lo, hi) of its iteration space,
 * so callers can split the work into chunks; every amplitude is computed by the same arithmetic
 * whatever the slicing, so parallel results are bit-identical to serial ones.
 *
 * <p>Memory behaviour decides the speed of a gate on a large state, so the loops are shaped by it:
 * contiguous runs are updated by simple loops (real matrices as one multiply-add per double, which
 * the JIT vectorizes); when the two amplitudes of a pair lie at least 2^{@link #FAR_QUBIT}
 * amplitudes apart, loads and stores that alternate between two distant regions are very slow
 * (see {@link #FAR_QUBIT}), so each block of the partner region is copied to a small buffer, the
 * pairs are updated from the first region in place and the buffer, and the buffer is copied
 * back. Short runs (a control or target on qubit 0 or 1) are walked element by element with a
 * shift-and-mask index.
 */
final class PairKernels {
    private PairKernels() {}

    /**
     * Arithmetic classes of a 2×2 matrix m = {m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i}: a
     * swap (x), a real matrix (h, ry: re and im parts update alike), a real diagonal with an
     * imaginary anti-diagonal (rx), or general. The class is chosen once per gate.
     */
    static final int GENERAL = 0, REAL = 1, ROTX = 2, SWAP = 3;

    /**
     * Pairs at least 2^FAR_QUBIT amplitudes (64 MiB) apart are updated through buffers. Measured on
     * the development machine (AMD EPYC, Zen 3): a loop that loads and stores two regions 256 MiB
     * or more apart runs 10 to 15 times slower than one that streams them, even with both regions
     * in cache (so not DRAM: most likely the L1 way predictor's linear-address tags, under which
     * lines whose addresses agree in bits 6 to 27 evict each other); below 128 MiB the direct loop is as
     * fast as a streaming pass, and buffering one region costs about half a pass (the copies), so
     * the cut-off sits two qubits below the first slow distance.
     */
    static final int FAR_QUBIT = 22;
    /**
     * Amplitudes per buffered block: a 64 KiB buffer, in L2. Measured (one thread, CPU time, top
     * qubit of 26): 128 to 1024 amplitudes cost 1.6 to 1.8 streaming passes, 2048 to 16384 about
     * 1.4, 32768 (half of L2) twice as much.
     */
    private static final int BLOCK = 4096;

    static final double[] X = {0, 0, 1, 0, 1, 0, 0, 0};

    static int classify(double[] m) {
        if (m[0] == 0 && m[1] == 0 && m[2] == 1 && m[3] == 0 && m[4] == 1 && m[5] == 0 && m[6] == 0 && m[7] == 0) return SWAP;
        if (m[1] == 0 && m[3] == 0 && m[5] == 0 && m[7] == 0) return REAL;
        if (m[1] == 0 && m[2] == 0 && m[4] == 0 && m[7] == 0) return ROTX;
        return GENERAL;
    }

    // ------------------------------------------------------------------ single qubit

    /**
     * A 2×2 matrix on qubit q. Iteration space: the 2^(n-1) amplitude pairs. Pairs at least
     * 2^farQubit apart go through buffers ({@link #FAR_QUBIT}; tests pass others).
     */
    static void single(double[] a, int q, double[] m, int cls, int farQubit, int lo, int hi) {
        if (q == 0) {
            run(a, 4 * lo, a, 4 * lo + 2, hi - lo, 4, m, cls);
            return;
        }
        final int low = (1 << q) - 1, off = 2 << q;
        final boolean far = q >= farQubit;
        double[] buf = far ? new double[2 * BLOCK] : null;
        int k = lo;
        while (k < hi) {
            int end = Math.min(hi, (k | low) + 1);
            int p = 2 * (((k >>> q) << (q + 1)) | (k & low));
            if (!far) {
                run(a, p, a, p + off, end - k, 2, m, cls);
            } else {
                for (int j = k; j < end; j += BLOCK, p += 2 * BLOCK) {
                    int len = 2 * Math.min(BLOCK, end - j);
                    System.arraycopy(a, p + off, buf, 0, len);
                    run(a, p, buf, 0, len / 2, 2, m, cls);
                    System.arraycopy(buf, 0, a, p + off, len);
                }
            }
            k = end;
        }
    }

    // ------------------------------------------------------------------ controlled gates and swaps

    /**
     * A 2×2 matrix on the pairs (i, i + partner) for every i whose bits at the ascending positions
     * {@code sorted} (two or three) equal {@code setMask} there: controlled gates (controls set,
     * target clear, partner 2^target) and swaps (one bit set, the other clear, partner
     * 2^clear − 2^set). Iteration space: 2^(n − sorted.length).
     *
     * <p>The special bits split in two: the inner ones (the lowest two, or with a far partner those
     * below farQubit, at most two) are inserted into each index by shift-and-mask; the
     * others are fixed per segment of the iteration space. With a far partner every block of
     * indices covers a contiguous range of memory whose partner range holds no amplitude any other
     * index updates (only partners of this block and amplitudes the gate leaves alone), so the
     * partner range can be buffered and written back whole.
     */
    static void pairs(double[] a, int[] sorted, int setMask, int partner, double[] m, int cls, int farQubit, int lo, int hi) {
        final boolean far = Math.abs((long) partner) >= 1L << farQubit;
        int inner = 0;
        while (inner < sorted.length && inner < 2 && (!far || sorted[inner] < farQubit)) inner++;
        // k's low segBits bits map to the index bits below the first outer special bit
        final int segBits = inner == sorted.length ? 30 : sorted[inner] - inner;
        final int segMask = (1 << segBits) - 1;
        final int s0 = inner > 0 ? sorted[0] : 30, s1 = inner > 1 ? sorted[1] : 30;
        final int m0 = (1 << s0) - 1, m1 = (1 << s1) - 1;
        final int off = 2 * partner;
        double[] buf = far ? new double[2 * BLOCK] : null;
        final int blockIndices = Math.max(1, BLOCK >> inner);
        int k = lo;
        while (k < hi) {
            int seg = k & ~segMask;
            int end = Math.min(hi, seg + segMask + 1);
            int base = Kernels.insertZeros(seg, sorted) | setMask;
            int from = k - seg, to = end - seg;
            if (!far) {
                walk(a, 0, a, off, base, s0, m0, s1, m1, from, to, m, cls);
            } else {
                for (int j = from; j < to; ) {
                    int je = Math.min(to, (j / blockIndices + 1) * blockIndices);
                    int first = base | spread(j, s0, m0, s1, m1), last = base | spread(je - 1, s0, m0, s1, m1);
                    int len = 2 * (last + 1 - first), p = 2 * first;
                    System.arraycopy(a, p + off, buf, 0, len);
                    walk(a, 0, buf, -p, base, s0, m0, s1, m1, j, je, m, cls);
                    System.arraycopy(buf, 0, a, p + off, len);
                    j = je;
                }
            }
            k = end;
        }
    }

    /** j with a zero bit inserted at s0, then at s1 (30: no insertion). */
    private static int spread(int j, int s0, int m0, int s1, int m1) {
        int t = ((j >>> s0) << (s0 + 1)) | (j & m0);
        return ((t >>> s1) << (s1 + 1)) | (t & m1);
    }

    /**
     * The pairs of indices i = base | spread(j), j in [from, to): first amplitude at x[xb + 2i],
     * partner at y[yb + 2i]. Runs of at least four contiguous amplitudes go to {@link #run}.
     */
    private static void walk(double[] x, int xb, double[] y, int yb, int base, int s0, int m0, int s1, int m1, int from, int to,
                             double[] m, int cls) {
        if (s0 >= 2) {
            int j = from;
            while (j < to) {
                int runEnd = Math.min(to, (j | m0) + 1);
                int i = 2 * (base | spread(j, s0, m0, s1, m1));
                run(x, xb + i, y, yb + i, runEnd - j, 2, m, cls);
                j = runEnd;
            }
            return;
        }
        switch (cls) {
            case SWAP -> {
                for (int j = from; j < to; j++) {
                    int i = 2 * (base | spread(j, s0, m0, s1, m1));
                    swapPair(x, xb + i, y, yb + i);
                }
            }
            case REAL -> {
                final double m00 = m[0], m01 = m[2], m10 = m[4], m11 = m[6];
                for (int j = from; j < to; j++) {
                    int i = 2 * (base | spread(j, s0, m0, s1, m1));
                    realPair(x, xb + i, y, yb + i, m00, m01, m10, m11);
                }
            }
            case ROTX -> {
                final double c0 = m[0], s01 = m[3], s10 = m[5], c1 = m[6];
                for (int j = from; j < to; j++) {
                    int i = 2 * (base | spread(j, s0, m0, s1, m1));
                    rotxPair(x, xb + i, y, yb + i, c0, s01, s10, c1);
                }
            }
            default -> {
                for (int j = from; j < to; j++) {
                    int i = 2 * (base | spread(j, s0, m0, s1, m1));
                    generalPair(x, xb + i, y, yb + i, m);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the arithmetic

    /**
     * The matrix on {@code count} pairs: first amplitudes at x[px], x[px + step], ..., partners at
     * y[py], y[py + step], ... (step 2: two contiguous runs; step 4: adjacent pairs of qubit 0,
     * where y is x and py is px + 2).
     */
    static void run(double[] x, int px, double[] y, int py, int count, int step, double[] m, int cls) {
        switch (cls) {
            case SWAP -> {
                if (step == 2) swapRun(x, px, y, py, 2 * count);
                else for (int i = 0; i < count; i++, px += step, py += step) swapPair(x, px, y, py);
            }
            case REAL -> {
                if (step == 2) realRun(x, px, y, py, 2 * count, m[0], m[2], m[4], m[6]);
                else realAdjacent(x, px, count, m[0], m[2], m[4], m[6]);
            }
            case ROTX -> {
                final double c0 = m[0], s01 = m[3], s10 = m[5], c1 = m[6];
                for (int i = 0; i < count; i++, px += step, py += step) rotxPair(x, px, y, py, c0, s01, s10, c1);
            }
            default -> {
                for (int i = 0; i < count; i++, px += step, py += step) generalPair(x, px, y, py, m);
            }
        }
    }

    private static void swapRun(double[] x, int px, double[] y, int py, int len) {
        for (int d = 0; d < len; d++) {
            double t = x[px + d];
            x[px + d] = y[py + d];
            y[py + d] = t;
        }
    }

    /** A real matrix: re and im parts update alike, one multiply-add per double. */
    private static void realRun(double[] x, int px, double[] y, int py, int len, double m00, double m01, double m10, double m11) {
        for (int d = 0; d < len; d++) {
            double u = x[px + d], v = y[py + d];
            x[px + d] = m00 * u + m01 * v;
            y[py + d] = m10 * u + m11 * v;
        }
    }

    /** A real matrix on adjacent pairs (qubit 0): x at p, partner at p + 2, two pairs per iteration. */
    private static void realAdjacent(double[] a, int p, int count, double m00, double m01, double m10, double m11) {
        int i = 0;
        for (; i + 1 < count; i += 2, p += 8) {
            double ur = a[p], ui = a[p + 1], vr = a[p + 2], vi = a[p + 3];
            double ur2 = a[p + 4], ui2 = a[p + 5], vr2 = a[p + 6], vi2 = a[p + 7];
            a[p] = m00 * ur + m01 * vr;
            a[p + 1] = m00 * ui + m01 * vi;
            a[p + 2] = m10 * ur + m11 * vr;
            a[p + 3] = m10 * ui + m11 * vi;
            a[p + 4] = m00 * ur2 + m01 * vr2;
            a[p + 5] = m00 * ui2 + m01 * vi2;
            a[p + 6] = m10 * ur2 + m11 * vr2;
            a[p + 7] = m10 * ui2 + m11 * vi2;
        }
        if (i < count) realPair(a, p, a, p + 2, m00, m01, m10, m11);
    }

    private static void swapPair(double[] x, int p, double[] y, int r) {
        double ur = x[p], ui = x[p + 1];
        x[p] = y[r];
        x[p + 1] = y[r + 1];
        y[r] = ur;
        y[r + 1] = ui;
    }

    private static void realPair(double[] x, int p, double[] y, int r, double m00, double m01, double m10, double m11) {
        double ur = x[p], ui = x[p + 1], vr = y[r], vi = y[r + 1];
        x[p] = m00 * ur + m01 * vr;
        x[p + 1] = m00 * ui + m01 * vi;
        y[r] = m10 * ur + m11 * vr;
        y[r + 1] = m10 * ui + m11 * vi;
    }

    /** [[c0, i·s01], [i·s10, c1]] with real c0, c1, s01, s10. */
    private static void rotxPair(double[] x, int p, double[] y, int r, double c0, double s01, double s10, double c1) {
        double ur = x[p], ui = x[p + 1], vr = y[r], vi = y[r + 1];
        x[p] = c0 * ur - s01 * vi;
        x[p + 1] = c0 * ui + s01 * vr;
        y[r] = c1 * vr - s10 * ui;
        y[r + 1] = c1 * vi + s10 * ur;
    }

    private static void generalPair(double[] x, int p, double[] y, int r, double[] m) {
        double ur = x[p], ui = x[p + 1], vr = y[r], vi = y[r + 1];
        x[p] = m[0] * ur - m[1] * ui + m[2] * vr - m[3] * vi;
        x[p + 1] = m[0] * ui + m[1] * ur + m[2] * vi + m[3] * vr;
        y[r] = m[4] * ur - m[5] * ui + m[6] * vr - m[7] * vi;
        y[r + 1] = m[4] * ui + m[5] * ur + m[6] * vi + m[7] * vr;
    }
}
