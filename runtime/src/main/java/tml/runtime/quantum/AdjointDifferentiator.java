package tml.runtime.quantum;

import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.Symbol;
import tml.ir.quantum.Term;

/**
 * Adjoint differentiation (Jones &amp; Gacon 2020): one forward run, then one backward sweep that
 * un-applies each gate from both |ψ⟩ and |λ⟩ = O|ψ⟩ and accumulates
 * ∂⟨O⟩/∂a = 2·Re⟨λ|∂U/∂a|ψ⟩ for every gate angle a, chained through the affine angle expressions
 * to parameters and inputs. Costs about three circuit runs plus one per angle occurrence;
 * exact on the simulator (not realisable on hardware, see {@link ParameterShift}).
 */
public final class AdjointDifferentiator {
    private final StatevectorSimulator sim;

    public AdjointDifferentiator(StatevectorSimulator sim) { this.sim = sim; }

    /** ⟨O⟩ and its gradient for a circuit of gates and barriers (terminal measurements are ignored). */
    public Gradient gradient(Circuit c, double[] params, double[] inputs, Observable o) {
        ParamBinding b = ParamBinding.of(c, params, inputs);
        List<Op.Gate> gates = new ArrayList<>();
        for (Op op : c.ops()) {
            switch (op) {
                case Op.Gate g -> gates.add(g);
                case Op.Barrier ignored -> {}
                case Op.Measure ignored -> {}
                default -> throw new IllegalArgumentException("adjoint differentiation needs a unitary circuit; found " + op);
            }
        }
        StateVector psi = sim.run(c, b);
        StateVector lambda = PauliOps.apply(psi, o);
        double value = psi.inner(lambda)[0];
        double[] dParams = new double[params.length], dInputs = new double[inputs.length];
        for (int k = gates.size() - 1; k >= 0; k--) {
            Op.Gate g = gates.get(k);
            double[] a = b.angles(g);
            int[] qs = g.qubits().stream().mapToInt(Integer::intValue).toArray();
            ComplexMatrix uDagger = Gates.matrix(g.kind(), a).dagger();
            sim.applyMatrix(psi, uDagger, qs);
            for (int j = 0; j < a.length; j++) {
                Angle angle = g.angles().get(j);
                if (angle.isConstant()) continue;
                StateVector mu = psi.copy();
                sim.applyMatrix(mu, Gates.derivative(g.kind(), j, a), qs);
                double d = 2 * lambda.inner(mu)[0];
                for (Term t : angle.terms()) {
                    switch (t.symbol()) {
                        case Symbol.Param p -> dParams[b.indexOf(p.name())] += t.coeff() * d;
                        case Symbol.Input in -> dInputs[in.index()] += t.coeff() * d;
                    }
                }
            }
            sim.applyMatrix(lambda, uDagger, qs);
        }
        return new Gradient(value, dParams, dInputs);
    }
}
