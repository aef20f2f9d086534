package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.NativeModel;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.optimizer.memory.MemoryPlan;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * Every standard-library model (at small resolutions, so the interpreter stays quick) compiled for the host gives the interpreter's outputs within 1e-4 relative
 * error: unoptimized graphs at LLVM -O0, graphs optimized by the -O3 graph pipeline (batch norm
 * folded, activations and elementwise ops fused) at LLVM -O3. All models of one LLVM level share one
 * shared library.
 */
class HostBackendDifferentialTest {
    record Case(String file, String network, Map<String, String> params) {
        @Override public String toString() { return network + params; }
    }

    static final List<Case> MODELS = List.of(
            new Case("stdlib/models/tiny_cnn.tml", "TinyCNN", Map.of()),
            new Case("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("resolution", "64", "width", "0.35")),
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", Map.of("resolution", "64")),
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Large", Map.of("resolution", "64")),
            new Case("stdlib/models/mnasnet.tml", "MnasNet", Map.of("resolution", "64", "width", "0.5")),
            new Case("stdlib/models/proxylessnas.tml", "ProxylessNASMobile", Map.of("resolution", "64")),
            new Case("stdlib/models/resnet.tml", "ResNet18", Map.of("resolution", "64")),
            new Case("stdlib/models/resnet.tml", "ResNet34", Map.of("resolution", "32")),
            new Case("stdlib/models/resnet.tml", "ResNet50", Map.of("resolution", "32")));

    static Map<String, Tensor> inputs(Graph g, long seed) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (Input i : g.inputs()) {
            Tensor t = Tensor.zeros(i.type().shape());
            for (int k = 0; k < t.numel(); k++) t.data()[k] = (float) (2 * r.nextDouble() - 1);
            m.put(i.name(), t);
        }
        return m;
    }

    /** max |a - b| / max |b| over the tensor. */
    static double relativeError(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }

    /**
     * Weights under which the output depends on the input (PyTorch's default initialisation makes a
     * deep untrained MobileNetV2 forget it): batch-norm statistics drawn at random (so folding them is
     * a real change) and uniform weights scaled by sqrt(6) (He initialisation).
     */
    static Model wellConditioned(Graph g, long seed) {
        Model m = OptimizerDifferentialTest.model(g, seed);
        Map<String, Tensor> w = new LinkedHashMap<>(m.weights());
        for (tml.ir.graph.Param p : g.params()) {
            if (!(p.init() instanceof tml.ir.graph.ParamInit.Uniform)) continue;
            Tensor t = w.get(p.name());
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= (float) Math.sqrt(6);
            w.put(p.name(), Tensor.wrap(t.shape(), d));
        }
        return new Model(g, com.google.common.collect.ImmutableMap.copyOf(w));
    }

    @Test
    void unoptimizedGraphsAtO0() { check(0, OptLevel.O0); }

    @Test
    void optimizedGraphsAtO3() { check(3, OptLevel.O3); }

    private void check(int graphLevel, OptLevel llvm) {
        List<Program> programs = new ArrayList<>();
        List<float[]> blobs = new ArrayList<>();
        List<float[][]> ins = new ArrayList<>();
        List<List<float[]>> wants = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Case c : MODELS) {
            Graph g = StdlibTest.elaborate(c.file(), c.network(), c.params());
            Model reference = wellConditioned(g, 5);
            Model m = graphLevel == 0 ? reference : PassManager.forLevel(graphLevel, "host").run(reference);
            Map<String, Tensor> in = inputs(g, 9);
            Map<String, Tensor> want = new Interpreter(Accumulation.F32).run(g, in, reference.weights());
            // the test means something only if the outputs depend on the input
            Map<String, Tensor> other = new Interpreter(Accumulation.F32).run(g, inputs(g, 10), reference.weights());
            for (Output o : g.outputs()) {
                double sensitivity = relativeError(other.get(o.name()).data(), want.get(o.name()).data());
                assertTrue(sensitivity > 1e-3, c + ": output " + o.name() + " hardly depends on the input (" + sensitivity + ")");
            }
            MemoryPlan plan = HostBackend.plan(m.graph(), tml.backends.llvm.HostTarget.get());
            Map<String, float[]> params = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> params.put(k, v.data()));
            programs.add(plan.program());
            blobs.add(WeightBlob.pack(plan.program(), params));
            float[][] x = new float[g.inputs().size()][];
            for (int i = 0; i < x.length; i++) x[i] = in.get(g.inputs().get(i).name()).data();
            ins.add(x);
            List<float[]> w = new ArrayList<>();
            for (Output o : g.outputs()) w.add(want.get(o.name()).data());
            wants.add(w);
            names.add(c + " (graph -O" + graphLevel + ", LLVM -" + llvm + ")");
        }
        try (HostBackend.Library lib = HostBackend.compileLibrary(programs, llvm).get(0)) {
            for (int k = 0; k < programs.size(); k++) {
                try (NativeModel model = lib.library().model(programs.get(k), lib.symbols().get(k), blobs.get(k))) {
                    float[][] got = model.run(ins.get(k));
                    for (int i = 0; i < got.length; i++) {
                        float[] want = wants.get(k).get(i);
                        double err = relativeError(got[i], want);
                        System.out.printf("%s output %d: relative error %.2e%n", names.get(k), i, err);
                        assertTrue(err <= 1e-4, names.get(k) + " output " + i + ": relative error " + err);
                    }
                }
            }
        }
    }
}
