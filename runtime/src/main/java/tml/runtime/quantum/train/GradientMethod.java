package tml.runtime.quantum.train;

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
import tml.runtime.quantum.AdjointDifferentiator;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.Pauli;
import tml.runtime.quantum.PauliString;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * How parameter gradients are obtained: {@link Adjoint} differentiation on the statevector simulator
 * (exact, about the cost of three runs plus one per angle, but impossible on hardware), or the
 * {@link Shift parameter-shift rule}, which only runs shifted circuits and so is what a quantum
 * computer allows; it can skip pruned parameters (QOC), saving their runs.
 */
public sealed interface GradientMethod permits GradientMethod.Adjoint, GradientMethod.Shift {
    /**
     * Runs one sample. {@code active[k]} false means parameter k's gradient is not needed this step
     * (pruned); the parameter-shift method then does not run its shifted circuits.
     */
    Tape forward(Circuit c, double[] params, double[] inputs, boolean[] active);

    /** The adjoint method: the backward sweep uses the observable Σ_i w_i Z_i, so one sweep gives the whole vector–Jacobian product. */
    record Adjoint(StatevectorSimulator sim) implements GradientMethod {
        @Override public Tape forward(Circuit c, double[] params, double[] inputs, boolean[] active) {
            double[] z = Backend.zOf(sim.run(c, params, inputs));
            return new Tape() {
                @Override public double[] expectations() { return z; }

                @Override public double[] vjp(double[] w) {
                    List<PauliString> terms = new ArrayList<>();
                    for (int i = 0; i < w.length; i++) if (w[i] != 0) terms.add(PauliString.of(i, Pauli.Z).times(w[i]));
                    if (terms.isEmpty()) return new double[params.length];
                    double[] g = new AdjointDifferentiator(sim).gradient(c, params, inputs, new Observable(ImmutableList.copyOf(terms))).params();
                    for (int k = 0; k < g.length; k++) if (!active[k]) g[k] = 0;
                    return g;
                }

                @Override public long circuitRuns() { return 1; }
            };
        }
    }

    /**
     * Parameter shift on a {@link Backend} (exact or noisy): every angle occurrence that depends on
     * an active parameter is shifted by ±π/2 (two-term rule) or ±π/2, ±3π/2 (four-term rule for
     * crx, cry, crz and the θ of cu3); each shifted run gives all qubits' expectations at once.
     * Angles that depend only on inputs are not shifted (their gradient is not needed for training).
     */
    record Shift(Backend backend) implements GradientMethod {
        private static final double C1 = (Math.sqrt(2) + 1) / (4 * Math.sqrt(2));
        private static final double C2 = (Math.sqrt(2) - 1) / (4 * Math.sqrt(2));

        @Override public Tape forward(Circuit c, double[] params, double[] inputs, boolean[] active) {
            ParamBinding b = ParamBinding.of(c, params, inputs);
            double[] z = backend.z(c, b);
            int n = z.length;
            double[][] jac = new double[params.length][];
            long runs = 1;
            for (int i = 0; i < c.ops().size(); i++) {
                if (!(c.ops().get(i) instanceof Op.Gate g)) continue;
                for (int j = 0; j < g.angles().size(); j++) {
                    Angle angle = g.angles().get(j);
                    if (!dependsOnActive(angle, b, active)) continue;
                    double[] d;
                    if (fourTerm(g.kind(), j)) {
                        double[] p1 = shifted(c, i, j, Math.PI / 2, b), m1 = shifted(c, i, j, -Math.PI / 2, b);
                        double[] p3 = shifted(c, i, j, 3 * Math.PI / 2, b), m3 = shifted(c, i, j, -3 * Math.PI / 2, b);
                        d = new double[n];
                        for (int q = 0; q < n; q++) d[q] = C1 * (p1[q] - m1[q]) - C2 * (p3[q] - m3[q]);
                        runs += 4;
                    } else {
                        double[] p = shifted(c, i, j, Math.PI / 2, b), m = shifted(c, i, j, -Math.PI / 2, b);
                        d = new double[n];
                        for (int q = 0; q < n; q++) d[q] = 0.5 * (p[q] - m[q]);
                        runs += 2;
                    }
                    for (Term t : angle.terms()) {
                        if (!(t.symbol() instanceof Symbol.Param p)) continue;
                        int k = b.indexOf(p.name());
                        if (!active[k]) continue;
                        if (jac[k] == null) jac[k] = new double[n];
                        for (int q = 0; q < n; q++) jac[k][q] += t.coeff() * d[q];
                    }
                }
            }
            long totalRuns = runs;
            return new Tape() {
                @Override public double[] expectations() { return z; }

                @Override public double[] vjp(double[] w) {
                    double[] g = new double[jac.length];
                    for (int k = 0; k < jac.length; k++) {
                        if (jac[k] == null) continue;
                        for (int q = 0; q < w.length; q++) g[k] += w[q] * jac[k][q];
                    }
                    return g;
                }

                @Override public long circuitRuns() { return totalRuns; }
            };
        }

        private static boolean dependsOnActive(Angle a, ParamBinding b, boolean[] active) {
            for (Term t : a.terms()) if (t.symbol() instanceof Symbol.Param p && active[b.indexOf(p.name())]) return true;
            return false;
        }

        static boolean fourTerm(GateKind k, int angle) {
            return switch (k) {
                case CRX, CRY, CRZ -> true;
                case CU3 -> angle == 0;
                default -> false;
            };
        }

        private double[] shifted(Circuit c, int op, int angle, double shift, ParamBinding b) {
            Op.Gate g = (Op.Gate) c.ops().get(op);
            List<Angle> as = new ArrayList<>(g.angles());
            as.set(angle, as.get(angle).plus(shift));
            List<Op> ops = new ArrayList<>(c.ops());
            ops.set(op, g.withAngles(ImmutableList.copyOf(as)));
            return backend.z(c.withOps(ImmutableList.copyOf(ops)), b);
        }
    }
}
