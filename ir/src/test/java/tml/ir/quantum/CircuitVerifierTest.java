package tml.ir.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import org.junit.jupiter.api.Test;

class CircuitVerifierTest {
    @Test
    void acceptsValidCircuit() {
        Circuit c = Circuit.builder("ok", 2).params("a").inputs(1).clbits(1)
                .rx(Angle.param("a").plus(Angle.input(0)), 0).cx(0, 1).measure(1, 0)
                .conditional(0, 1, 1, Op.Gate.of(GateKind.X, 0)).build();
        assertTrue(CircuitVerifier.verify(c).isEmpty());
        assertEquals(c, CircuitVerifier.check(c));
    }

    @Test
    void reportsEveryProblem() {
        Circuit c = new Circuit("bad name", 2, 1, ImmutableList.of("a", "a", "pi"), 1, ImmutableList.of(
                Op.Gate.of(GateKind.CX, 0, 0),
                Op.Gate.of(GateKind.H, 5),
                Op.Gate.of(GateKind.RX, Angle.param("b").plus(Angle.input(1)), 0),
                new Op.Measure(0, 3),
                new Op.Conditional(0, 2, 1, Op.Gate.of(GateKind.X, 0)),
                new Op.Conditional(0, 1, 2, Op.Gate.of(GateKind.X, 0)),
                new Op.Barrier(ImmutableList.of(0, 0))));
        var problems = CircuitVerifier.verify(c);
        String all = String.join("\n", problems);
        for (String f : new String[] {"circuit name", "duplicate parameter 'a'", "bad parameter name 'pi'", "op 0: qubit 0 used twice",
                "op 1: qubit 5 out of range", "op 2: unknown parameter 'b'", "op 2: input x[1] out of range",
                "op 3: classical bit 3", "op 4: condition reads bits", "op 5: condition value 2", "op 6: qubit 0 used twice"})
            assertTrue(all.contains(f), f + " missing in\n" + all);
        assertThrows(InvalidCircuitException.class, () -> CircuitVerifier.check(c));
    }

    @Test
    void gateArityIsCheckedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> Op.Gate.of(GateKind.CX, 0));
        assertThrows(IllegalArgumentException.class, () -> Op.Gate.of(GateKind.H, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Op.Conditional(0, 1, 0, new Op.Barrier(ImmutableList.of())));
    }
}
