package tml.runtime.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.Symbol;
import tml.ir.quantum.Term;

/**
 * Parameter-shift gradients: each angle occurrence is shifted and the circuit re-evaluated by an
 * {@link Estimator} (exact, noisy or sampled, as on hardware). Gates whose generator has two
 * eigenvalues one apart use the two-term rule (shifts ±π/2, factor ½); controlled rotations
 * (crx, cry, crz, the θ of cu3) use the four-term rule with shifts ±π/2, ±3π/2.
 */
public final class ParameterShift {
    private static final double C1 = (Math.sqrt(2) + 1) / (4 * Math.sqrt(2));
    private static final double C2 = (Math.sqrt(2) - 1) / (4 * Math.sqrt(2));

    /** Evaluates ⟨O⟩ for a circuit and binding. */
    @FunctionalInterface
    public interface Estimator {
        double expectation(Circuit c, ParamBinding b);
    }

    private ParameterShift() {}

    public static Gradient gradient(Circuit c, double[] params, double[] inputs, Estimator est) {
        ParamBinding b = ParamBinding.of(c, params, inputs);
        double value = est.expectation(c, b);
        double[] dParams = new double[params.length], dInputs = new double[inputs.length];
        for (int i = 0; i < c.ops().size(); i++) {
            Op op = c.ops().get(i);
            if (op instanceof Op.Conditional k && k.body() instanceof Op.Gate g && !g.isNumeric())
                throw new IllegalArgumentException("parameter shift through a conditional gate is not supported: op " + i);
            if (!(op instanceof Op.Gate g)) continue;
            for (int j = 0; j < g.angles().size(); j++) {
                Angle angle = g.angles().get(j);
                if (angle.isConstant()) continue;
                double d = fourTerm(g.kind(), j)
                        ? C1 * (shifted(c, i, j, Math.PI / 2, b, est) - shifted(c, i, j, -Math.PI / 2, b, est))
                          - C2 * (shifted(c, i, j, 3 * Math.PI / 2, b, est) - shifted(c, i, j, -3 * Math.PI / 2, b, est))
                        : 0.5 * (shifted(c, i, j, Math.PI / 2, b, est) - shifted(c, i, j, -Math.PI / 2, b, est));
                for (Term t : angle.terms()) {
                    switch (t.symbol()) {
                        case Symbol.Param p -> dParams[b.indexOf(p.name())] += t.coeff() * d;
                        case Symbol.Input in -> dInputs[in.index()] += t.coeff() * d;
                    }
                }
            }
        }
        return new Gradient(value, dParams, dInputs);
    }

    /** Exact expectations from a statevector simulator. */
    public static Estimator exact(StatevectorSimulator sim, Observable o) { return (c, b) -> sim.expectation(c, b, o); }

    /** Exact noisy expectations from a density-matrix simulator. */
    public static Estimator noisy(DensityMatrixSimulator sim, Observable o) { return (c, b) -> sim.expectation(c, b, o); }

    static boolean fourTerm(GateKind k, int angle) {
        return switch (k) {
            case CRX, CRY, CRZ -> true;
            case CU3 -> angle == 0;
            default -> false;
        };
    }

    private static double shifted(Circuit c, int op, int angle, double shift, ParamBinding b, Estimator est) {
        Op.Gate g = (Op.Gate) c.ops().get(op);
        List<Angle> as = new ArrayList<>(g.angles());
        as.set(angle, as.get(angle).plus(shift));
        List<Op> ops = new ArrayList<>(c.ops());
        ops.set(op, g.withAngles(ImmutableList.copyOf(as)));
        return est.expectation(c.withOps(ImmutableList.copyOf(ops)), b);
    }
}
