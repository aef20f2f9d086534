package tml.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * Finite-difference checks of {@link Autodiff} in float64. The loss is a fixed random projection of
 * every output, L = Σ r·y. For each input and parameter tensor T, the analytic directional
 * derivative ⟨∇_T L, v⟩ along a random Gaussian direction v (on T only) must equal the central
 * difference (L(T + εv) − L(T − εv)) / 2ε, and so must a few single coordinates; then one direction
 * over all tensors at once, with ε = 1e-6. Tolerance: |numeric − analytic| ≤ 1e-8·(1 + |L|) + 1e-6 ·
 * max(|numeric|, Σ|∂L/∂T_i · v_i|): relative 1e-6, plus the rounding of L in the difference quotient.
 */
final class GradCheck {
    static final double EPS = 1e-6;
    static final double REL = 1e-6;
    static final double ABS = 1e-8;

    private GradCheck() {}

    /** Every input and parameter as float64: inputs uniform in [-2, 2), parameters from their initializers. */
    static Map<String, DoubleTensor> values(Graph g, long seed) {
        Map<String, DoubleTensor> v = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (Input in : g.inputs()) {
            DoubleTensor t = DoubleTensor.zeros(in.type().shape());
            for (int i = 0; i < t.numel(); i++) t.data()[i] = r.nextDouble(-2, 2);
            v.put(in.name(), t);
        }
        Weights.initialize(g, seed).forEach((k, t) -> v.put(k, DoubleTensor.of(t)));
        return v;
    }

    record Loss(Map<String, DoubleTensor> projections) {
        double of(Autodiff.Tape tape) {
            double s = 0;
            for (var e : projections.entrySet()) {
                double[] y = tape.value(e.getKey()).data(), r = e.getValue().data();
                for (int i = 0; i < y.length; i++) s += r[i] * y[i];
            }
            return s;
        }
    }

    static Loss randomLoss(Graph g, Autodiff.Tape tape, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        Map<String, DoubleTensor> proj = new LinkedHashMap<>();
        for (Output o : g.outputs()) {
            if (proj.containsKey(o.value())) continue;
            DoubleTensor p = DoubleTensor.zeros(tape.value(o.value()).shape());
            for (int i = 0; i < p.numel(); i++) p.data()[i] = r.nextDouble(-1, 1);
            proj.put(o.value(), p);
        }
        return new Loss(proj);
    }

    /** Runs every check on {@code g}; {@code where} names the graph in failure messages. Returns the number of checks made. */
    static int check(Graph g, Map<String, DoubleTensor> all, long seed, String where) {
        Map<String, DoubleTensor> inputs = new HashMap<>(), params = new HashMap<>();
        for (Input in : g.inputs()) inputs.put(in.name(), all.get(in.name()));
        for (Param p : g.params()) params.put(p.name(), all.get(p.name()));
        Autodiff.Tape tape = Autodiff.forward(g, inputs, params);
        Loss loss = randomLoss(g, tape, seed);
        Map<String, DoubleTensor> grads = Autodiff.backward(tape, loss.projections());
        SplittableRandom r = new SplittableRandom(seed * 31 + 7);
        List<String> names = new ArrayList<>(inputs.keySet());
        names.addAll(params.keySet());
        Map<String, DoubleTensor> global = new HashMap<>();
        int checks = 0;
        for (String name : names) {
            DoubleTensor t = all.get(name);
            if (t.numel() == 0) continue;
            DoubleTensor dir = DoubleTensor.zeros(t.shape());
            for (int i = 0; i < dir.numel(); i++) dir.data()[i] = r.nextGaussian();
            global.put(name, dir);
            compare(g, inputs, params, loss, grads, Map.of(name, dir), where + "\ndirection on '" + name + "'");
            checks++;
            for (int k = 0; k < 2; k++) {
                int i = r.nextInt(t.numel());
                DoubleTensor unit = DoubleTensor.zeros(t.shape());
                unit.data()[i] = 1;
                compare(g, inputs, params, loss, grads, Map.of(name, unit), where + "\n'" + name + "'[" + i + "]");
                checks++;
            }
        }
        if (!global.isEmpty()) {
            compare(g, inputs, params, loss, grads, global, where + "\ndirection on all inputs and params");
            checks++;
        }
        return checks;
    }

    private static void compare(Graph g, Map<String, DoubleTensor> inputs, Map<String, DoubleTensor> params, Loss loss,
                                Map<String, DoubleTensor> grads, Map<String, DoubleTensor> direction, String where) {
        double analytic = 0, scale = 0;
        for (var e : direction.entrySet()) {
            double[] gd = grads.get(e.getKey()).data(), v = e.getValue().data();
            for (int i = 0; i < v.length; i++) {
                analytic += gd[i] * v[i];
                scale += Math.abs(gd[i] * v[i]);
            }
        }
        double plus = loss.of(Autodiff.forward(g, shifted(inputs, direction, EPS), shifted(params, direction, EPS)));
        double minus = loss.of(Autodiff.forward(g, shifted(inputs, direction, -EPS), shifted(params, direction, -EPS)));
        double numeric = (plus - minus) / (2 * EPS);
        double tolerance = ABS * (1 + Math.abs(plus) + Math.abs(minus)) + REL * Math.max(Math.abs(numeric), scale);
        assertTrue(Math.abs(numeric - analytic) <= tolerance, where + "\nanalytic " + analytic + " numeric " + numeric
                + " (difference " + Math.abs(numeric - analytic) + ", tolerance " + tolerance + ")");
    }

    private static Map<String, DoubleTensor> shifted(Map<String, DoubleTensor> values, Map<String, DoubleTensor> direction, double eps) {
        Map<String, DoubleTensor> out = new HashMap<>(values);
        for (var e : direction.entrySet()) {
            DoubleTensor base = values.get(e.getKey());
            if (base == null) continue;
            DoubleTensor t = base.copy();
            double[] v = e.getValue().data();
            for (int i = 0; i < v.length; i++) t.data()[i] += eps * v[i];
            out.put(e.getKey(), t);
        }
        return out;
    }

    static ImmutableList<Integer> shape(Integer... dims) { return ImmutableList.copyOf(dims); }

    static Map<String, Tensor> floats(Map<String, DoubleTensor> m) {
        Map<String, Tensor> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.toTensor()));
        return out;
    }
}
