package tml.ir.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceSimulatorTest {
    @Test
    void bellState() {
        Circuit c = Circuit.builder("bell", 2).h(0).cx(0, 1).build();
        double[] re = new double[4], im = new double[4];
        re[0] = 1;
        ReferenceSimulator.evolve(c, ParamBinding.empty(c), re, im);
        assertEquals(Math.sqrt(0.5), re[0], 1e-15);
        assertEquals(Math.sqrt(0.5), re[3], 1e-15);
        assertEquals(0, re[1], 1e-15);
        assertEquals(0, re[2], 1e-15);
    }

    @Test
    void unitaryOfGateOnHigherQubitsEmbedsTheGateMatrix() {
        // cx with control q2, target q0 on 3 qubits: |q2 q1 q0> = |100> (4) -> |101> (5)
        Circuit c = Circuit.builder("c", 3).cx(2, 0).build();
        ComplexMatrix u = ReferenceSimulator.unitary(c, ParamBinding.empty(c));
        assertEquals(1, u.re(5, 4));
        assertEquals(1, u.re(2, 2));
        assertTrue(u.isUnitary(1e-12));
    }

    @Test
    void circuitTimesItsInverseIsIdentity() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int t = 0; t < 20; t++) {
            Circuit c = RandomCircuits.uniform(3).generate(rng, 15);
            var inv = com.google.common.collect.ImmutableList.<Op>builder().addAll(c.ops());
            for (int i = c.ops().size() - 1; i >= 0; i--) inv.add(Gates.inverse((Op.Gate) c.ops().get(i)));
            Circuit both = c.withOps(inv.build());
            assertTrue(ReferenceSimulator.unitary(both, ParamBinding.empty(both)).maxDistance(ComplexMatrix.identity(8)) < 1e-12);
        }
    }

    @Test
    void symbolicAnglesAreEvaluatedWithTheBinding() {
        Circuit c = Circuit.builder("c", 1).params("a").inputs(1).rx(Angle.param("a").times(2).plus(Angle.input(0)), 0).build();
        ComplexMatrix u = ReferenceSimulator.unitary(c, ParamBinding.of(c, new double[] {0.25}, new double[] {0.1}));
        assertTrue(u.maxDistance(Gates.matrix(GateKind.RX, 0.6)) < 1e-15);
    }
}
