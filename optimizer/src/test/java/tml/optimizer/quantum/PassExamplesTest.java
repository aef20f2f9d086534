package tml.optimizer.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitParseException;
import tml.ir.quantum.CircuitParser;
import tml.ir.quantum.CircuitPrinter;

/** Small hand-checked rewrites, in the textual IR. */
class PassExamplesTest {
    private static String body(Circuit c) {
        String t = CircuitPrinter.print(c);
        return t.substring(t.indexOf('{') + 2, t.lastIndexOf('}')).strip().replaceAll("\n\\s*", "; ");
    }

    private static String apply(CircuitPass p, String ops) throws CircuitParseException {
        return body(p.run(CircuitParser.parse("circuit c qubits 3 clbits 1 params a, b {\n" + ops.replace("; ", "\n") + "\n}")));
    }

    @Test
    void cancelInverses() throws CircuitParseException {
        CancelInverses p = new CancelInverses();
        assertEquals("", apply(p, "h q[0]; x q[0]; x q[0]; h q[0]"));
        assertEquals("", apply(p, "s q[1]; sdg q[1]; cz q[0], q[1]; cz q[1], q[0]; rx(a + 1) q[2]; rx(-a - 1) q[2]"));
        assertEquals("", apply(p, "u3(0.1, 0.2, 0.3) q[0]; u3(-0.1, -0.3, -0.2) q[0]; ccx q[0], q[1], q[2]; ccx q[1], q[0], q[2]"));
        assertEquals("cx q[0], q[1]; cx q[1], q[0]", apply(p, "cx q[0], q[1]; cx q[1], q[0]"));
        assertEquals("h q[0]; measure q[0] -> c[0]; h q[0]", apply(p, "h q[0]; measure q[0] -> c[0]; h q[0]"));
        assertEquals("h q[0]; barrier q[0]; h q[0]", apply(p, "h q[0]; barrier q[0]; h q[0]"));
        assertEquals("x q[1]", apply(p, "h q[0]; x q[1]; h q[0]"));
    }

    @Test
    void mergeRotations() throws CircuitParseException {
        MergeRotations p = new MergeRotations();
        assertEquals("rz(a + 0.5) q[0]", apply(p, "rz(a) q[0]; rz(0.25) q[0]; rz(0.25) q[0]"));
        assertEquals("p(2*a) q[0]", apply(p, "p(a) q[0]; u1(a) q[0]"));
        assertEquals("", apply(p, "rzz(a) q[0], q[1]; rzz(-a) q[1], q[0]"));
        assertEquals("crz(a) q[0], q[1]; crz(b) q[1], q[0]", apply(p, "crz(a) q[0], q[1]; crz(b) q[1], q[0]"));
        assertEquals("rx(a) q[0]; ry(b) q[0]", apply(p, "rx(a) q[0]; ry(b) q[0]"));
    }

    @Test
    void commuteAndCancel() throws CircuitParseException {
        CommuteAndCancel p = new CommuteAndCancel();
        // rz commutes through a cx control, x through a cx target, cz through anything diagonal
        assertEquals("cx q[0], q[1]", apply(p, "rz(a) q[0]; cx q[0], q[1]; rz(-a) q[0]"));
        assertEquals("cx q[0], q[1]", apply(p, "x q[1]; cx q[0], q[1]; x q[1]"));
        assertEquals("cx q[0], q[1]; t q[2]", apply(p, "cz q[0], q[2]; cx q[0], q[1]; t q[2]; cz q[2], q[0]"));
        assertEquals("rz(a + b) q[0]; cx q[0], q[1]", apply(p, "rz(a) q[0]; cx q[0], q[1]; rz(b) q[0]"));
        // cx through cx sharing the control
        assertEquals("cx q[0], q[2]", apply(p, "cx q[0], q[1]; cx q[0], q[2]; cx q[0], q[1]"));
        // no commutation through the target for rz, nor through h
        assertEquals("rz(a) q[1]; cx q[0], q[1]; rz(-a) q[1]", apply(p, "rz(a) q[1]; cx q[0], q[1]; rz(-a) q[1]"));
        assertEquals("x q[0]; h q[0]; x q[0]", apply(p, "x q[0]; h q[0]; x q[0]"));
    }

    @Test
    void fuseAndRemoveNearIdentity() throws CircuitParseException {
        assertEquals("u3(pi/2, 0, pi) q[0]", apply(new FuseSingleQubitGates(), "z q[0]; s q[0]; s q[0]; h q[0]"));
        assertEquals("", apply(new FuseSingleQubitGates(), "h q[0]; s q[0]; s q[0]; h q[0]; x q[0]"));
        assertEquals("rx(a) q[0]; u3(0.5, 0, 0) q[1]", apply(new FuseSingleQubitGates(), "rx(a) q[0]; ry(0.25) q[1]; ry(0.25) q[1]"));
        assertEquals("rx(0.1) q[0]; rz(a) q[1]",
                apply(new RemoveNearIdentity(1e-6), "rx(0.1) q[0]; rx(1.0E-7) q[0]; id q[1]; crz(-1.0E-9) q[0], q[1]; rz(a) q[1]; u3(0, 1.0E-8, -1.0E-8) q[2]"));
        assertEquals(Angle.ZERO, Angle.of(0));
    }
}
