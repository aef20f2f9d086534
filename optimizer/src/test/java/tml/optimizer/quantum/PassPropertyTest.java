package tml.optimizer.quantum;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitVerifier;

/** Every pass leaves 500 seeded random circuits equivalent and never adds two-qubit gates. */
class PassPropertyTest {
    static Stream<CircuitPass> passes() {
        CircuitPass o1 = pipeline(1), o2 = pipeline(2), o3 = pipeline(3);
        return Stream.of(new CancelInverses(), new MergeRotations(), new FuseSingleQubitGates(), new CommuteAndCancel(),
                new RemoveNearIdentity(1e-6), o1, o2, o3);
    }

    private static CircuitPass pipeline(int level) {
        CircuitPassManager pm = CircuitPassManager.forLevel(level);
        return new CircuitPass() {
            public String name() { return "O" + level; }

            public Circuit run(Circuit c) { return pm.run(c).circuit(); }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passes")
    void keepsEquivalenceAndNeverAddsTwoQubitGates(CircuitPass pass) {
        SplittableRandom rng = new SplittableRandom(pass.name().hashCode());
        int shrunk = 0;
        for (int i = 0; i < 500; i++) {
            Circuit c = Equivalence.randomCircuit(rng);
            Circuit out = pass.run(c);
            assertTrue(CircuitVerifier.verify(out).isEmpty(), () -> pass.name() + ": " + CircuitVerifier.verify(out));
            assertTrue(out.twoQubitGateCount() <= c.twoQubitGateCount(), pass.name() + " added two-qubit gates");
            assertTrue(out.gateCountOnQubits(3) <= c.gateCountOnQubits(3));
            Equivalence.assertEquivalent(c, out, rng);
            if (out.ops().size() < c.ops().size()) shrunk++;
        }
        // the random circuits are built to give every pass work; a pass that does nothing fails here
        assertTrue(shrunk > 100, pass.name() + " shrank only " + shrunk + " of 500 circuits");
    }
}
