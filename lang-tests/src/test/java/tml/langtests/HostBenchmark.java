package tml.langtests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * Compile time and single-thread latency of MobileNetV2 on the host against the interpreter.
 * Runs only with {@code -Dtml.bench=true -Dtml.llvm.timing=true} (it takes a minute):
 * {@code mvn -o -pl lang-tests test -Dtest=HostBenchmark -Dtml.bench=true -Dtml.llvm.timing=true}.
 */
@EnabledIfSystemProperty(named = "tml.bench", matches = "true")
class HostBenchmark {
    record Case(String name, Map<String, String> params) {}

    /** Time of each kernel of MobileNetV2 (-Dtml.bench.kernels=true): every kernel is its own entry of one library. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "tml.bench.kernels", matches = "true")
    void kernelProfile() {
        Map<String, String> params = new LinkedHashMap<>(System.getProperty("tml.bench.only", "").contains("0.35")
                ? Map.of("width", "0.35", "resolution", "144") : Map.of());
        // -Dtml.bench.model=FILE:NETWORK[:k=v,k=v] profiles another stdlib network
        String file = "stdlib/models/mobilenet_v2.tml", network = "MobileNetV2";
        String spec = System.getProperty("tml.bench.model", "");
        if (!spec.isEmpty()) {
            String[] parts = spec.split(":");
            file = parts[0];
            network = parts[1];
            params.clear();
            if (parts.length > 2) for (String kv : parts[2].split(",")) params.put(kv.split("=")[0], kv.split("=")[1]);
        }
        Graph g = StdlibTest.elaborate(file, network, params);
        Model m = PassManager.forLevel(3, "host").run(new Model(g, Weights.initialize(g, 1)));
        var plan = HostBackend.plan(m.graph(), HostTarget.get());
        tml.ir.loop.Program p = plan.program();
        Map<String, float[]> w = new LinkedHashMap<>();
        m.weights().forEach((k, v) -> w.put(k, v.data()));
        float[] blob = tml.ir.loop.WeightBlob.pack(p, w);
        List<tml.ir.loop.Program> singles = new ArrayList<>();
        for (tml.ir.loop.Kernel k : p.kernels()) {
            singles.add(new tml.ir.loop.Program(p.name(), p.arenaBytes(), p.weightBytes(), p.buffers(), com.google.common.collect.ImmutableList.of(k)));
        }
        record T(String name, double ms) {}
        List<T> times = new ArrayList<>();
        float[] x = HostBackendDifferentialTest.inputs(g, 2).values().iterator().next().data();
        try (var lib = HostBackend.compileLibrary(singles, OptLevel.O3).get(0)) {
            for (int i = 0; i < singles.size(); i++) {
                try (var model = lib.library().model(singles.get(i), lib.symbols().get(i), blob)) {
                    model.setInputs(x);
                    model.invoke();
                    long best = Long.MAX_VALUE;
                    for (int r = 0; r < 20; r++) {
                        long t0 = System.nanoTime();
                        model.invoke();
                        best = Math.min(best, System.nanoTime() - t0);
                    }
                    String op = m.graph().node(p.kernels().get(i).name()).map(n -> n.op().toString()).orElse("copy");
                    times.add(new T(p.kernels().get(i).name() + " " + (op.length() > 90 ? op.substring(0, 90) : op), best / 1e6));
                }
            }
        }
        double total = times.stream().mapToDouble(T::ms).sum();
        times.sort((a, b) -> Double.compare(b.ms, a.ms));
        System.out.printf("kernels: %d, sum of best times %.2f ms%n", times.size(), total);
        for (T t : times.subList(0, Math.min(Integer.getInteger("tml.bench.top", 25), times.size()))) System.out.printf("%8.3f ms  %s%n", t.ms, t.name);
    }

    @Test
    @org.junit.jupiter.api.condition.DisabledIfSystemProperty(named = "tml.bench.kernels", matches = "true")
    void mobileNetV2() {
        List<Case> cases = List.of(
                new Case("MobileNetV2-0.35@144", Map.of("width", "0.35", "resolution", "144")),
                new Case("MobileNetV2-1.0@224", Map.of()));
        String only = System.getProperty("tml.bench.only", "");
        if (Boolean.getBoolean("tml.bench.timepasses")) {
            HostTarget.get();
            org.bytedeco.llvm.global.LLVM.LLVMParseCommandLineOptions(2, new org.bytedeco.javacpp.PointerPointer<>("tml", "-time-passes"),
                    new org.bytedeco.javacpp.BytePointer(""));
        }
        for (Case c : cases) {
            if (!c.name().contains(only)) continue;
            Graph g = StdlibTest.elaborate("stdlib/models/mobilenet_v2.tml", "MobileNetV2", c.params());
            Model m0 = new Model(g, Weights.initialize(g, 1));
            Map<String, Tensor> in = HostBackendDifferentialTest.inputs(g, 2);
            Interpreter interp = new Interpreter(Accumulation.F32, false);
            interp.run(g, in, m0.weights());
            long[] it = new long[3];
            for (int i = 0; i < it.length; i++) {
                long t0 = System.nanoTime();
                interp.run(g, in, m0.weights());
                it[i] = System.nanoTime() - t0;
            }
            Arrays.sort(it);
            float[] x = in.values().iterator().next().data();
            for (int level : Boolean.getBoolean("tml.bench.o3only") ? new int[] {3} : new int[] {0, 3}) {
                // warm the JVM and LLVM once, then time the second compilation
                Model m = level == 0 ? m0 : PassManager.forLevel(3, "host").run(m0);
                Map<String, float[]> params = new LinkedHashMap<>();
                m.weights().forEach((k, v) -> params.put(k, v.data()));
                OptLevel llvm = level == 0 ? OptLevel.O0 : OptLevel.O3;
                HostBackend.compile(m.graph(), params, llvm).close();
                long c0 = System.nanoTime();
                Model again = level == 0 ? m0 : PassManager.forLevel(3, "host").run(m0);
                try (HostBackend.Compiled compiled = HostBackend.compile(again.graph(), params, llvm)) {
                    long compileMs = (System.nanoTime() - c0) / 1_000_000;
                    compiled.run(x);
                    compiled.model().setInputs(x);
                    List<Long> times = new ArrayList<>();
                    long until = System.nanoTime() + 3_000_000_000L;
                    while (times.size() < 5 || (System.nanoTime() < until && times.size() < 200)) {
                        long t0 = System.nanoTime();
                        compiled.model().invoke();
                        times.add(System.nanoTime() - t0);
                    }
                    times.sort(null);
                    System.out.printf("%s graph -O%d LLVM -%s: compile %d ms (with graph passes), arena %d bytes, latency median %.2f ms, min %.2f ms (%d runs); interpreter (1 thread) median %.1f ms%n",
                            c.name(), level, llvm, compileMs, compiled.plan().arenaBytes(), times.get(times.size() / 2) / 1e6, times.get(0) / 1e6,
                            times.size(), it[1] / 1e6);
                }
            }
        }
    }
}
