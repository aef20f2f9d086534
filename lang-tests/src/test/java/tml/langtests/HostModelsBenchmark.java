package tml.langtests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.Op;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Weights;

/**
 * Compile time and single-thread median latency of the five benchmark networks on the host (graph
 * -O3, LLVM -O3, warm JVM), and with {@code -Dtml.bench.kernels=true} the time per kind of kernel.
 * Runs only with {@code -Dtml.bench.models=true}; {@code -Dtml.bench.only=ResNet} picks models by
 * name. Run it pinned to one core ({@code taskset -c 1 mvn ...}) on a quiet machine.
 */
@EnabledIfSystemProperty(named = "tml.bench.models", matches = "true")
class HostModelsBenchmark {
    record Case(String name, String file, String network, Map<String, String> params) {}

    static final List<Case> MODELS = List.of(
            new Case("MobileNetV2-0.35@144", "stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("width", "0.35", "resolution", "144")),
            new Case("MobileNetV2-1.0@224", "stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of()),
            new Case("ResNet-18@224", "stdlib/models/resnet.tml", "ResNet18", Map.of()),
            new Case("MnasNet-0.5@224", "stdlib/models/mnasnet.tml", "MnasNet", Map.of("width", "0.5")),
            new Case("MobileNetV3-small@224", "stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", Map.of()));

    private static List<Case> selected() {
        String only = System.getProperty("tml.bench.only", "");
        return MODELS.stream().filter(c -> c.name().contains(only)).toList();
    }

    private static Model optimized(Case c) {
        Graph g = StdlibTest.elaborate(c.file(), c.network(), c.params());
        return PassManager.forLevel(3, "host").run(new Model(g, Weights.initialize(g, 1)));
    }

    private static Map<String, float[]> arrays(Model m) {
        Map<String, float[]> params = new LinkedHashMap<>();
        m.weights().forEach((k, v) -> params.put(k, v.data()));
        return params;
    }

    @Test
    @org.junit.jupiter.api.condition.DisabledIfSystemProperty(named = "tml.bench.kernels", matches = "true")
    void latency() {
        int seconds = Integer.getInteger("tml.bench.seconds", 4);
        for (Case c : selected()) {
            Model m = optimized(c);
            Map<String, float[]> params = arrays(m);
            HostBackend.compile(m.graph(), params, OptLevel.O3).close(); // warm the JVM and LLVM
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long c0 = System.nanoTime();
            Model again = optimized(c);
            try (HostBackend.Compiled compiled = HostBackend.compile(again.graph(), params, OptLevel.O3)) {
                long compileMs = (System.nanoTime() - c0) / 1_000_000;
                long compileCpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
                float[] x = HostBackendDifferentialTest.inputs(m.graph(), 2).values().iterator().next().data();
                compiled.run(x);
                compiled.model().setInputs(x);
                for (int i = 0; i < 3; i++) compiled.model().invoke();
                List<Long> times = new ArrayList<>();
                long until = System.nanoTime() + seconds * 1_000_000_000L;
                while (times.size() < 10 || (System.nanoTime() < until && times.size() < 2000)) {
                    long t0 = System.nanoTime();
                    compiled.model().invoke();
                    times.add(System.nanoTime() - t0);
                }
                times.sort(null);
                System.out.printf("BENCH %-22s compile %5d ms wall, %5d ms CPU (graph passes to loaded library)  median %7.3f ms  min %7.3f ms  (%d runs)%n",
                        c.name(), compileMs, compileCpuMs, times.get(times.size() / 2) / 1e6, times.get(0) / 1e6, times.size());
            }
        }
    }

    /** The kind of a kernel for the profile: conv 1x1, depthwise 3x3 s2, conv 7x7 s2, linear, ... */
    private static String kind(Graph g, tml.ir.graph.Node n) {
        return switch (n.op()) {
            case Op.Conv2d c -> {
                var w = g.types().get(n.operands().get(1));
                String k = w.dim(2) + "x" + w.dim(3) + " s" + c.stride().h();
                yield (c.groups() > 1 ? "depthwise/grouped conv " : "conv ") + k;
            }
            default -> n.op().getClass().getSimpleName();
        };
    }

    @Test
    @EnabledIfSystemProperty(named = "tml.bench.kernels", matches = "true")
    void kernels() {
        for (Case c : selected()) {
            Model m = optimized(c);
            var plan = HostBackend.plan(m.graph(), HostTarget.get());
            tml.ir.loop.Program p = plan.program();
            float[] blob = tml.ir.loop.WeightBlob.pack(p, arrays(m));
            List<tml.ir.loop.Program> singles = new ArrayList<>();
            for (tml.ir.loop.Kernel k : p.kernels()) {
                singles.add(new tml.ir.loop.Program(p.name(), p.arenaBytes(), p.weightBytes(), p.buffers(), com.google.common.collect.ImmutableList.of(k)));
            }
            float[] x = HostBackendDifferentialTest.inputs(m.graph(), 2).values().iterator().next().data();
            Map<String, double[]> byKind = new TreeMap<>(); // ms, count, flops
            List<String> worst = new ArrayList<>();
            List<Double> worstMs = new ArrayList<>();
            try (var lib = HostBackend.compileLibrary(singles, OptLevel.O3).get(0)) {
                for (int i = 0; i < singles.size(); i++) {
                    try (var model = lib.library().model(singles.get(i), lib.symbols().get(i), blob)) {
                        model.setInputs(x);
                        model.invoke();
                        long[] t = new long[15];
                        for (int r = 0; r < t.length; r++) {
                            long t0 = System.nanoTime();
                            model.invoke();
                            t[r] = System.nanoTime() - t0;
                        }
                        java.util.Arrays.sort(t);
                        double ms = t[t.length / 2] / 1e6;
                        var node = m.graph().node(p.kernels().get(i).name());
                        String kind = node.map(n -> kind(m.graph(), n)).orElse("copy");
                        double flops = node.map(n -> n.op() instanceof Op.Conv2d cv
                                ? 2.0 * n.type().numel() * m.graph().types().get(n.operands().get(1)).numel() / n.type().dim(1) : 0.0).orElse(0.0);
                        double[] acc = byKind.computeIfAbsent(kind, k -> new double[3]);
                        acc[0] += ms;
                        acc[1]++;
                        acc[2] += flops;
                        worst.add(String.format("%8.3f ms %6.1f GFLOP/s  %s %s", ms, flops / ms / 1e6, p.kernels().get(i).name(),
                                node.map(n -> n.type().toString()).orElse("")));
                        worstMs.add(ms);
                    }
                }
            }
            double total = byKind.values().stream().mapToDouble(a -> a[0]).sum();
            System.out.printf("KERNELS %s: sum of medians %.3f ms%n", c.name(), total);
            byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> System.out.printf(
                    "  %-32s %3.0f kernels %8.3f ms (%4.1f%%) %6.1f GFLOP/s%n", e.getKey(), e.getValue()[1], e.getValue()[0],
                    100 * e.getValue()[0] / total, e.getValue()[2] / e.getValue()[0] / 1e6));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < worst.size(); i++) order.add(i);
            order.sort((a, b) -> Double.compare(worstMs.get(b), worstMs.get(a)));
            for (int i : order.subList(0, Math.min(12, order.size()))) System.out.println("  " + worst.get(i));
        }
    }
}
