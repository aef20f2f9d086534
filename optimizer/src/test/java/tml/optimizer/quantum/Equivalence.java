package tml.optimizer.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;
import tml.ir.quantum.ReferenceSimulator;

/** Test helpers: random circuits with work for the passes, and equivalence on random input states. */
final class Equivalence {
    static final double FIDELITY = 1 - 1e-9;

    private Equivalence() {}

    /** A random unitary circuit (2–5 qubits, all gate kinds, echoes, symbolic and tiny angles, barriers). */
    static Circuit randomCircuit(SplittableRandom rng) {
        int n = 2 + rng.nextInt(4);
        RandomCircuits gen = RandomCircuits.uniform(n).withParams(2, 0.25).withEchoes(0.45).withTiny(0.08);
        Circuit c = gen.generate(rng, 10 + rng.nextInt(40));
        if (rng.nextInt(4) > 0) return c;
        List<Op> ops = new ArrayList<>(c.ops());
        ops.add(rng.nextInt(ops.size() + 1), new Op.Barrier(ImmutableList.of(rng.nextInt(n))));
        return c.withOps(ImmutableList.copyOf(ops));
    }

    /** Same action on two random states with random parameter values (fidelity above 1 − 1e-9). */
    static void assertEquivalent(Circuit before, Circuit after, SplittableRandom rng) {
        assertEquals(before.numQubits(), after.numQubits());
        assertEquals(before.params(), after.params());
        double[] p = new double[before.params().size()];
        for (int i = 0; i < p.length; i++) p[i] = rng.nextDouble(-4, 4);
        ParamBinding b1 = ParamBinding.of(before, p, new double[before.numInputs()]);
        ParamBinding b2 = ParamBinding.of(after, p, new double[after.numInputs()]);
        for (int t = 0; t < 2; t++) {
            double[][] s = RandomCircuits.randomState(rng, before.numQubits());
            double[] r1 = s[0].clone(), i1 = s[1].clone(), r2 = s[0].clone(), i2 = s[1].clone();
            ReferenceSimulator.evolve(before, b1, r1, i1);
            ReferenceSimulator.evolve(after, b2, r2, i2);
            double f = ReferenceSimulator.fidelity(r1, i1, r2, i2);
            assertTrue(f > FIDELITY, () -> "fidelity " + f + "\nbefore:\n" + before + "after:\n" + after);
        }
    }
}
