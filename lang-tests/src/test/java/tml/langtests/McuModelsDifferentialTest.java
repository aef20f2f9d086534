package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.backends.llvm.CortexMTarget;
import tml.backends.llvm.McuBackend;
import tml.backends.llvm.McuImage;
import tml.backends.llvm.McuRunner;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.Output;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * Standard-library models compiled for Cortex-M cores and run in QEMU give the interpreter's outputs
 * within 1e-4 relative error: on the Cortex-M4 (mps2-an386) every model that fits the board's 4 MiB +
 * 16 MiB of data RAM, unoptimized graphs at LLVM -O0 and -O3-optimized graphs at LLVM -O3, all models
 * of one level in one image and one QEMU run; on the M7 (mps2-an500) and M33 (mps2-an505) two models
 * at -O3. Variants are chosen so the weights blob fits the 16 MiB PSRAM; ResNet18/34/50 cannot fit at
 * any resolution (their weights do not depend on it: 46.8, 87.2 and 102.2 MB with 1000 classes, more
 * than the board's 20 MiB of data RAM), so no ResNet is run. Needs qemu-system-arm: fails without it.
 */
class McuModelsDifferentialTest {
    record Case(String file, String network, Map<String, String> params) {
        @Override public String toString() { return network + params; }
    }

    static final Case TINY = new Case("stdlib/models/tiny_cnn.tml", "TinyCNN", Map.of());
    static final Case MOBILENET_V2 = new Case("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("resolution", "64", "width", "0.35"));

    static final List<Case> M4_MODELS = List.of(
            TINY,
            MOBILENET_V2,
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", Map.of("resolution", "64", "width", "1.0")),
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Large", Map.of("resolution", "64", "width", "0.75")),
            new Case("stdlib/models/mnasnet.tml", "MnasNet", Map.of("resolution", "64", "width", "0.75")),
            new Case("stdlib/models/proxylessnas.tml", "ProxylessNASMobile", Map.of("resolution", "64", "width", "1.0")));

    static final CortexMTarget M4 = CortexMTarget.forName("cortex-m4").orElseThrow();

    @Test
    void cortexM4UnoptimizedGraphsAtO0() { check(M4, M4_MODELS, 0, OptLevel.O0); }

    @Test
    void cortexM4OptimizedGraphsAtO3() { check(M4, M4_MODELS, 3, OptLevel.O3); }

    @Test
    void cortexM7SmokeAtO3() { check(CortexMTarget.forName("cortex-m7").orElseThrow(), List.of(TINY, MOBILENET_V2), 3, OptLevel.O3); }

    @Test
    void cortexM33SmokeAtO3() { check(CortexMTarget.forName("cortex-m33").orElseThrow(), List.of(TINY, MOBILENET_V2), 3, OptLevel.O3); }

    private static void check(CortexMTarget target, List<Case> models, int graphLevel, OptLevel llvm) {
        List<Program> programs = new ArrayList<>();
        List<McuRunner.Job> jobs = new ArrayList<>();
        List<List<float[]>> wants = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Case c : models) {
            Graph g = StdlibTest.elaborate(c.file(), c.network(), c.params());
            Model reference = HostBackendDifferentialTest.wellConditioned(g, 5);
            Model m = graphLevel == 0 ? reference : PassManager.forLevel(graphLevel, target.name()).run(reference);
            Map<String, Tensor> in = HostBackendDifferentialTest.inputs(g, 9);
            Map<String, Tensor> want = new Interpreter(Accumulation.F32).run(g, in, reference.weights());
            Map<String, Tensor> other = new Interpreter(Accumulation.F32).run(g, HostBackendDifferentialTest.inputs(g, 10), reference.weights());
            for (Output o : g.outputs()) {
                double sensitivity = HostBackendDifferentialTest.relativeError(other.get(o.name()).data(), want.get(o.name()).data());
                assertTrue(sensitivity > 1e-3, c + ": output " + o.name() + " hardly depends on the input (" + sensitivity + ")");
            }
            Program p = McuBackend.plan(m.graph(), target).program();
            Map<String, float[]> params = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> params.put(k, v.data()));
            float[][] x = new float[g.inputs().size()][];
            for (int i = 0; i < x.length; i++) x[i] = in.get(g.inputs().get(i).name()).data();
            jobs.add(new McuRunner.Job(programs.size(), WeightBlob.pack(p, params), x));
            programs.add(p);
            List<float[]> w = new ArrayList<>();
            for (Output o : g.outputs()) w.add(want.get(o.name()).data());
            wants.add(w);
            names.add(c + " on " + target.name() + " (graph -O" + graphLevel + ", LLVM -" + llvm + ")");
        }
        try (McuImage image = McuBackend.compile(programs, target, llvm)) {
            List<McuRunner.Result> results = McuRunner.run(image, jobs);
            assertEquals(jobs.size(), results.size());
            for (int k = 0; k < results.size(); k++) {
                McuRunner.Result r = results.get(k);
                for (int i = 0; i < r.outputs().length; i++) {
                    double err = HostBackendDifferentialTest.relativeError(r.outputs()[i], wants.get(k).get(i));
                    System.out.printf(Locale.ROOT, "%s output %d: relative error %.2e; %d instructions; arena %d B, weights %d B%n",
                            names.get(k), i, err, r.instructions(), programs.get(k).arenaBytes(), programs.get(k).weightBytes());
                    assertTrue(err <= 1e-4, names.get(k) + " output " + i + ": relative error " + err);
                }
                assertTrue(r.instructions() > 0, names.get(k) + ": no instructions counted");
            }
        }
    }
}
