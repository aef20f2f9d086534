import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import tml.ir.quantum.GateKind;
import tml.runtime.quantum.StateVector;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * Statevector gate time against this machine's memory bandwidth, side by side in one run.
 *
 * <p>Usage: {@code java -cp ... StatevectorBench [qubits (26)] [threads (all)] [rounds (9)]}
 *
 * <p>Memory: over arrays the size of the state (2^n complex doubles: 1 GiB at 26 qubits), a
 * read+write pass (in-place scale a = s·a, the traffic of a gate), STREAM copy (b = a) and an
 * in-place triad (a = b + s·a), each parallel over the same threads. Their bytes are counted as
 * STREAM does (copy 2, triad 3 arrays); the best bandwidth gives the time to read and write the
 * state once, the floor for any gate. Gates: h and rx on the low, middle and top qubit, cx with a
 * near and a far target (and a far control). Every round runs all memory kernels and all gates
 * once, so each figure is a median over the rounds, measured side by side under the same load;
 * the ratio is the gate's median over the read+write floor.
 */
public final class StatevectorBench {
    private static final int CHUNK = 1 << 16;

    record Case(String label, GateKind kind, double[] angles, int[] qubits) {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 26;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        long bytes = 16L << n;
        System.out.printf(Locale.ROOT, "statevector bench: %d qubits (state %.2f GiB), %d thread(s), %d rounds, %d cpus, heap %.1f GiB, java %s%n",
                n, bytes / (double) (1L << 30), threads, rounds, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30), System.getProperty("java.version"));
        System.out.println("load average at start: " + loadAverage());

        ForkJoinPool pool = new ForkJoinPool(threads);
        double[] a = new double[2 << n], b = new double[2 << n];
        parallel(pool, a.length, (lo, hi) -> { for (int i = lo; i < hi; i++) { a[i] = 1e-3 * (i & 1023); b[i] = 1e-3 * (i & 511); } });

        int top = n - 1, mid = n / 2;
        List<Case> cases = List.of(
                new Case("h q0", GateKind.H, new double[0], new int[] {0}),
                new Case("h q" + mid, GateKind.H, new double[0], new int[] {mid}),
                new Case("h q" + top, GateKind.H, new double[0], new int[] {top}),
                new Case("rx q0", GateKind.RX, new double[] {0.3}, new int[] {0}),
                new Case("rx q" + mid, GateKind.RX, new double[] {0.3}, new int[] {mid}),
                new Case("rx q" + top, GateKind.RX, new double[] {0.3}, new int[] {top}),
                new Case("cx 0->1 (near)", GateKind.CX, new double[0], new int[] {0, 1}),
                new Case("cx 0->" + top + " (far)", GateKind.CX, new double[0], new int[] {0, top}),
                new Case("cx " + top + "->0 (far)", GateKind.CX, new double[0], new int[] {top, 0}));

        List<String> memLabels = List.of("read+write pass (a = s*a)", "stream copy (b = a)", "stream triad (a = b + s*a)");
        double[] memBytes = {2.0 * bytes, 2.0 * bytes, 3.0 * bytes};
        double[][] mem = new double[3][rounds];
        double[][] gate = new double[cases.size()][rounds];
        try (StatevectorSimulator sim = new StatevectorSimulator(threads, 14)) {
            StateVector s = StateVector.zero(n);
            for (int q = 0; q < n; q++) sim.apply(s, GateKind.H, new double[0], q); // a dense state; also warms up the kernels
            for (int w = 0; w < 2; w++) {
                for (Case c : cases) sim.apply(s, c.kind(), c.angles(), c.qubits());
                memory(pool, a, b, 0);
                memory(pool, a, b, 1);
                memory(pool, a, b, 2);
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) mem[k][r] = memory(pool, a, b, k);
                for (int c = 0; c < cases.size(); c++) {
                    Case cs = cases.get(c);
                    long t = System.nanoTime();
                    sim.apply(s, cs.kind(), cs.angles(), cs.qubits());
                    gate[c][r] = (System.nanoTime() - t) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "final state norm %.12f (should be 1)%n", s.normSquared());
        } finally {
            pool.shutdown();
        }

        System.out.println();
        System.out.println("memory (median over rounds; bytes counted as STREAM does)   median ms     min ms    GB/s (median)");
        double best = 0;
        for (int k = 0; k < 3; k++) {
            double med = median(mem[k]), gbs = memBytes[k] / med / 1e6;
            best = Math.max(best, gbs);
            System.out.printf(Locale.ROOT, "  %-58s %9.1f  %9.1f  %8.2f%n", memLabels.get(k), med, min(mem[k]), gbs);
        }
        double floor = 2.0 * bytes / best / 1e6;
        System.out.printf(Locale.ROOT, "measured memory bandwidth %.2f GB/s: reading and writing the state once takes %.1f ms%n", best, floor);
        System.out.println();
        System.out.println("gate (median over rounds)                  median ms     min ms    ratio (median / read+write once)");
        double worst = 0;
        for (int c = 0; c < cases.size(); c++) {
            double med = median(gate[c]);
            worst = Math.max(worst, med / floor);
            System.out.printf(Locale.ROOT, "  %-40s %9.1f  %9.1f    %5.2f%s%n", cases.get(c).label(), med, min(gate[c]), med / floor, med / floor <= 2 ? "" : "   > 2");
        }
        System.out.printf(Locale.ROOT, "largest ratio %.2f (criterion: at most 2)%n", worst);
        System.out.println("load average at end: " + loadAverage());
    }

    /** One memory kernel over the whole arrays; returns milliseconds. */
    private static double memory(ForkJoinPool pool, double[] a, double[] b, int kind) {
        long t = System.nanoTime();
        switch (kind) {
            case 0 -> parallel(pool, a.length, (lo, hi) -> { for (int i = lo; i < hi; i++) a[i] *= 0.999999; });
            case 1 -> parallel(pool, a.length, (lo, hi) -> { for (int i = lo; i < hi; i++) b[i] = a[i]; });
            default -> parallel(pool, a.length, (lo, hi) -> { for (int i = lo; i < hi; i++) a[i] = b[i] + 0.5 * a[i]; });
        }
        return (System.nanoTime() - t) / 1e6;
    }

    @FunctionalInterface
    interface Body {
        void run(int lo, int hi);
    }

    private static void parallel(ForkJoinPool pool, int n, Body body) {
        pool.invoke(new Chunks(0, (n + CHUNK - 1) / CHUNK, n, body));
    }

    private static final class Chunks extends RecursiveAction {
        private final int from, to, n;
        private final Body body;

        Chunks(int from, int to, int n, Body body) {
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
            int m = (from + to) >>> 1;
            invokeAll(new Chunks(from, m, n, body), new Chunks(m, to, n, body));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private StatevectorBench() {}
}
