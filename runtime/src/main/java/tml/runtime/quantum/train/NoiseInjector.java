package tml.runtime.quantum.train;

import com.google.common.collect.ImmutableList;
import java.util.SplittableRandom;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.runtime.quantum.NoiseModel;

/**
 * QuantumNAT noise injection: a copy of the circuit with Pauli gates inserted at random after its
 * gates, drawn from a {@link NoiseModel} where the density-matrix simulator applies channels. A
 * depolarizing channel of parameter p is the Pauli mixture (1−3p/4)ρ + (p/4)Σ PρP on one qubit and
 * (1−15p/16)ρ + (p/16)Σ PρP over the 15 non-identity pairs on two, so an X, Y or Z (or a pair) is
 * inserted with those probabilities; averaged over draws, the statevector then gives the noisy
 * expectation exactly. Phase damping λ is the phase flip with probability (1−√(1−λ))/2 (exact);
 * amplitude damping γ is replaced by its Pauli twirl (X, Y with γ/4, Z with (1−γ/2−√(1−γ))/2), an
 * approximation. Readout error is not injected here (see {@link Backend#readout}). {@code factor}
 * scales every error probability (QuantumNAT's noise factor; 1 reproduces the model).
 */
public record NoiseInjector(NoiseModel noise, double factor) {
    public NoiseInjector {
        if (!(factor >= 0) || Double.isInfinite(factor)) throw new IllegalArgumentException("noise factor must be non-negative: " + factor);
    }

    public NoiseInjector(NoiseModel noise) { this(noise, 1); }

    private static final GateKind[] PAULI = {GateKind.ID, GateKind.X, GateKind.Y, GateKind.Z};

    /** The circuit with one random draw of errors; gate parameters and inputs are untouched. */
    public Circuit inject(Circuit c, SplittableRandom rng) {
        ImmutableList.Builder<Op> ops = ImmutableList.builderWithExpectedSize(c.ops().size() * 2);
        for (Op op : c.ops()) {
            ops.add(op);
            if (!(op instanceof Op.Gate g)) continue;
            ImmutableList<Integer> qs = g.qubits();
            switch (qs.size()) {
                case 1 -> depolarize1(ops, qs.get(0), factor * noise.depolarizing1q(qs.get(0)), rng);
                case 2 -> depolarize2(ops, qs.get(0), qs.get(1), factor * noise.depolarizing2q(qs.get(0), qs.get(1)), rng);
                default -> { for (int q : qs) depolarize1(ops, q, factor * noise.depolarizing2q(), rng); }
            }
            for (int q : qs) damp(ops, q, rng);
        }
        return c.withOps(ops.build());
    }

    private static void depolarize1(ImmutableList.Builder<Op> ops, int q, double p, SplittableRandom rng) {
        if (p > 0 && rng.nextDouble() < Math.min(1, 3 * p / 4)) ops.add(Op.Gate.of(PAULI[1 + rng.nextInt(3)], q));
    }

    private static void depolarize2(ImmutableList.Builder<Op> ops, int a, int b, double p, SplittableRandom rng) {
        if (!(p > 0 && rng.nextDouble() < Math.min(1, 15 * p / 16))) return;
        int k = 1 + rng.nextInt(15); // a non-identity pair: low two bits act on a, high two on b
        if ((k & 3) != 0) ops.add(Op.Gate.of(PAULI[k & 3], a));
        if ((k >> 2) != 0) ops.add(Op.Gate.of(PAULI[k >> 2], b));
    }

    private void damp(ImmutableList.Builder<Op> ops, int q, SplittableRandom rng) {
        double gamma = Math.min(1, factor * noise.amplitudeDamping()), lambda = Math.min(1, factor * noise.phaseDamping());
        if (gamma > 0) {
            double pxy = gamma / 4, pz = (1 - gamma / 2 - Math.sqrt(1 - gamma)) / 2, u = rng.nextDouble();
            if (u < pxy) ops.add(Op.Gate.of(GateKind.X, q));
            else if (u < 2 * pxy) ops.add(Op.Gate.of(GateKind.Y, q));
            else if (u < 2 * pxy + pz) ops.add(Op.Gate.of(GateKind.Z, q));
        }
        if (lambda > 0 && rng.nextDouble() < (1 - Math.sqrt(1 - lambda)) / 2) ops.add(Op.Gate.of(GateKind.Z, q));
    }
}
