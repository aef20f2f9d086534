package tml.backends.llvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/** Shared helpers of the differential tests: random inputs, the interpreter's answers, the error measure. */
public final class Differential {
    private Differential() {}

    /** Inputs uniform in [-1, 1) from the seed, by input name. */
    public static Map<String, Tensor> inputs(Graph g, long seed) {
        Random r = new Random(seed * 31 + 7);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Input in : g.inputs()) {
            float[] d = new float[Math.toIntExact(in.type().numel())];
            for (int i = 0; i < d.length; i++) d[i] = r.nextFloat() * 2 - 1;
            m.put(in.name(), Tensor.wrap(in.type().shape(), d));
        }
        return m;
    }

    public static Map<String, float[]> arrays(Map<String, Tensor> tensors) {
        Map<String, float[]> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> m.put(k, v.data()));
        return m;
    }

    /** The interpreter's outputs in output order. */
    public static List<float[]> expected(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        Map<String, Tensor> out = new Interpreter(Accumulation.F32, false).run(g, inputs, params);
        List<float[]> list = new ArrayList<>();
        for (Output o : g.outputs()) list.add(out.get(o.name()).data());
        return list;
    }

    public static float[][] inputArrays(Graph g, Map<String, Tensor> inputs) {
        float[][] a = new float[g.inputs().size()][];
        for (int i = 0; i < a.length; i++) a[i] = inputs.get(g.inputs().get(i).name()).data();
        return a;
    }

    /**
     * The largest difference relative to the reference tensor's largest magnitude (NaN and infinities
     * must match exactly); 0 when equal.
     */
    public static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) return Double.POSITIVE_INFINITY;
        double scale = 0, diff = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isInfinite(e)) {
                if (Float.compare(e, a) != 0 && !(Float.isNaN(e) && Float.isNaN(a))) return Double.POSITIVE_INFINITY;
                continue;
            }
            if (!Float.isFinite(a)) return Double.POSITIVE_INFINITY;
            scale = Math.max(scale, Math.abs(e));
            diff = Math.max(diff, Math.abs((double) a - e));
        }
        return diff == 0 ? 0 : diff / Math.max(scale, 1e-12);
    }
}
