package tml.runtime.quantum;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits an index range [0, n) into fixed-size chunks run on a ForkJoinPool. Chunk boundaries
 * do not depend on the thread count, and {@link #sum} adds the chunk results in chunk order, so
 * results are bit-identical for any parallelism. With a null pool or a small range everything
 * runs on the calling thread.
 */
final class ParallelLoops {
    /** Iterations per chunk. */
    static final int CHUNK = 1 << 14;

    @FunctionalInterface
    interface RangeBody {
        void run(int lo, int hi);
    }

    @FunctionalInterface
    interface RangeSum {
        double sum(int lo, int hi);
    }

    private ParallelLoops() {}

    static void forRange(ForkJoinPool pool, int n, RangeBody body) {
        if (pool == null || n <= 2 * CHUNK || pool.getParallelism() <= 1) {
            body.run(0, n);
            return;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        pool.invoke(new Chunks(0, chunks, n, body));
    }

    /** Σ over chunks of body(chunk), summed in chunk order (deterministic). */
    static double sum(ForkJoinPool pool, int n, RangeSum body) {
        int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
        double[] partial = new double[chunks];
        forRange(pool, n, (lo, hi) -> {
            for (int c = lo / CHUNK; c * CHUNK < hi; c++) {
                int a = Math.max(lo, c * CHUNK), b = Math.min(hi, (c + 1) * CHUNK);
                if (a < b) partial[c] += body.sum(a, b);
            }
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    private static final class Chunks extends RecursiveAction {
        private final int from, to, n;
        private final RangeBody body;

        Chunks(int from, int to, int n, RangeBody body) {
            this.from = from;
            this.to = to;
            this.n = n;
            this.body = body;
        }

        @Override protected void compute() {
            if (to - from == 1) {
                body.run(from * CHUNK, Math.min(n, (from + 1) * CHUNK));
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Chunks(from, mid, n, body), new Chunks(mid, to, n, body));
        }
    }
}
