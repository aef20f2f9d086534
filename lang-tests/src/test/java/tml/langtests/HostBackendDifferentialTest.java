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
 * Standard-library models compiled for the host give the interpreter's outputs within 1e-4 relative
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
            new Case("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("resolution", "64", "width", "0.35")));

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
            Model reference = new Model(g, Weights.initialize(g, 5));
            Model m = graphLevel == 0 ? reference : PassManager.forLevel(graphLevel, "host").run(reference);
            Map<String, Tensor> in = inputs(g, 9);
            Map<String, Tensor> want = new Interpreter(Accumulation.F32).run(g, in, reference.weights());
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
                        double err = relativeError(got[i], wants.get(k).get(i));
                        System.out.printf("%s output %d: relative error %.2e%n", names.get(k), i, err);
                        assertTrue(err <= 1e-4, names.get(k) + " output " + i + ": relative error " + err);
                    }
                }
            }
        }
    }
}
