import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import tml.ir.quantum.GateKind;
import tml.runtime.quantum.StateVector;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * Single-qubit gate time on large statevectors versus one read+write pass over the same memory.
 * Usage: java -cp ... StatevectorBench [minQubits maxQubits [threads]]
 * Prints, per qubit count: the time of one in-place scaling pass over the state (reads and writes
 * every double once: the memory-bandwidth floor for a gate) and of h / rz / u3 on a low, middle
 * and high qubit, best of 5 runs.
 */
public final class StatevectorBench {
    public static void main(String[] args) {
        int lo = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int hi = args.length > 1 ? Integer.parseInt(args[1]) : 26;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "threads %d, max heap %.1f GiB%n", threads, Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        ForkJoinPool pool = new ForkJoinPool(threads);
        try (StatevectorSimulator sim = new StatevectorSimulator(threads, 14)) {
            for (int n = lo; n <= hi; n++) {
                StateVector s = StateVector.zero(n);
                sim.apply(s, GateKind.H, new double[0], n - 1); // touch all pages
                double[] raw = new double[2 << n];
                double stream = best(() -> scale(pool, raw, 1.0000001));
                double bytes = 2.0 * (16L << n); // read + write
                System.out.printf(Locale.ROOT, "%d qubits (%.2f GiB): read+write pass %.1f ms (%.1f GB/s)%n",
                        n, (16L << n) / (double) (1L << 30), stream, bytes / stream / 1e6);
                for (int q : new int[] {0, n / 2, n - 1}) {
                    double h = best(() -> sim.apply(s, GateKind.H, new double[0], q));
                    double rz = best(() -> sim.apply(s, GateKind.RZ, new double[] {0.3}, q));
                    double u3 = best(() -> sim.apply(s, GateKind.U3, new double[] {0.1, 0.2, 0.3}, q));
                    System.out.printf(Locale.ROOT, "  qubit %2d: h %.1f ms (%.2fx pass), rz %.1f ms (%.2fx), u3 %.1f ms (%.2fx)%n",
                            q, h, h / stream, rz, rz / stream, u3, u3 / stream);
                }
                int top = n - 1;
                double cx = best(() -> sim.apply(s, GateKind.CX, new double[0], 0, top));
                System.out.printf(Locale.ROOT, "  cx 0,%d: %.1f ms (%.2fx pass)%n", n - 1, cx, cx / stream);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void scale(ForkJoinPool pool, double[] a, double k) {
        int chunk = 1 << 15, chunks = (a.length + chunk - 1) / chunk;
        pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int end = Math.min(a.length, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i++) a[i] *= k;
        })).join();
    }

    private static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        return best;
    }
}
