package tml.ir.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircuitTextTest {
    private static final String SAMPLE = """
            circuit qnn qubits 3 clbits 2 inputs 4 params theta, phi {
              h q[0]
              rx(x[0]) q[0]
              rz(0.5*theta + pi) q[1]
              u3(theta, -phi - pi/2, 0.125) q[2]
              crz(2*x[3] - theta) q[0], q[2]
              cx q[0], q[1]
              ccx q[0], q[1], q[2]
              barrier q[0], q[1], q[2]
              barrier
              measure q[0] -> c[0]
              if (c[0:1] == 1) x q[1]
              if (c[0:2] == 3) measure q[2] -> c[1]
              reset q[0]
            }
            """;

    @Test
    void canonicalTextRoundTripsCharacterForCharacter() throws CircuitParseException {
        Circuit c = CircuitParser.parse(SAMPLE);
        assertEquals(SAMPLE, CircuitPrinter.print(c));
        assertEquals(13, c.ops().size());
        assertEquals(ImmutableList.of("theta", "phi"), c.params());
        assertTrue(CircuitVerifier.verify(c).isEmpty());
    }

    @Test
    void parserAcceptsFreeFormatAndComments() throws CircuitParseException {
        Circuit c = CircuitParser.parse("""
                // a comment
                circuit  c qubits 2 params a {   h q[0] cx q[0],q[1]  // trailing
                  rz( (a+1)*2 - -pi ) q[1] rz(a/4) q[0] rz(-(a - pi/2)) q[0]
                }""");
        assertEquals("rz(2*a + 5.141592653589793) q[1]", CircuitPrinter.op(c.ops().get(2)));
        assertEquals("rz(-a + pi/2) q[0]", CircuitPrinter.op(c.ops().get(4)));
        assertEquals("rz(0.25*a) q[0]", CircuitPrinter.op(c.ops().get(3)));
    }

    @Test
    void randomCircuitsRoundTrip() throws CircuitParseException {
        SplittableRandom rng = new SplittableRandom(7);
        RandomCircuits gen = RandomCircuits.uniform(4).withParams(3, 0.4).withEchoes(0.3).withTiny(0.05);
        for (int i = 0; i < 300; i++) {
            Circuit g = gen.generate(rng, 30);
            List<Op> ops = new ArrayList<>(g.ops());
            ops.add(rng.nextInt(ops.size()), new Op.Measure(rng.nextInt(4), rng.nextInt(3)));
            ops.add(rng.nextInt(ops.size()), new Op.Reset(rng.nextInt(4)));
            ops.add(rng.nextInt(ops.size()), new Op.Barrier(ImmutableList.of(1, 3)));
            ops.add(rng.nextInt(ops.size()), new Op.Conditional(1, 2, rng.nextInt(4), ops.get(rng.nextInt(ops.size() - 1)) instanceof Op.Gate gg ? gg : new Op.Reset(0)));
            Circuit c = new Circuit("r" + i, 4, 3, g.params(), 2, ImmutableList.copyOf(ops));
            assertTrue(CircuitVerifier.verify(c).isEmpty(), () -> CircuitVerifier.verify(c).toString());
            String text = CircuitPrinter.print(c);
            Circuit back = CircuitParser.parse(text);
            assertEquals(c, back, text);
            assertEquals(text, CircuitPrinter.print(back));
        }
    }

    @Test
    void errorsCarryLineAndColumn() {
        assertError("circuit c qubits 2 {\n  h q[2]\n}", 2, 5, "qubit q[2] out of range");
        assertError("circuit c qubits 2 {\n  foo q[0]\n}", 2, 3, "unknown gate 'foo'");
        assertError("circuit c qubits 2 {\n  rx q[0]\n}", 2, 3, "rx takes 1 angle(s), got 0");
        assertError("circuit c qubits 2 {\n  cx q[0], q[0]\n}", 2, 3, "repeats a qubit");
        assertError("circuit c qubits 2 {\n  rx(theta) q[0]\n}", 2, 6, "unknown parameter 'theta'");
        assertError("circuit c qubits 2 params a {\n  rx(a*a) q[0]\n}", 2, 7, "affine");
        assertError("circuit c qubits 2 {\n  rx(1/0) q[0]\n}", 2, 7, "division by zero");
        assertError("circuit c qubits 2 {\n  h q[0]\n", 3, 1, "expected '}'");
        assertError("circuit c qubits 2 {\n  h q[0] $\n}", 2, 10, "unexpected character '$'");
        assertError("circuit c qubits 2 clbits 1 {\n  if (c[0:1] == 2) x q[0]\n}", 2, 17, "does not fit");
        assertError("circuit c qubits 2 clbits 1 {\n  measure q[0] -> c[1]\n}", 2, 19, "out of range");
        assertError("circuit c qubits 1 {\n  rx(1e308*10) q[0]\n}", 2, 11, "overflows");
        assertError("circuit c qubits 1 params pi {}", 1, 27, "cannot name a parameter");
        assertError("circuit c qubits 1 {\n  rx(" + "(".repeat(1000) + "1" + ")".repeat(1000) + ") q[0]\n}", 2, 206, "nested too deeply");
    }

    private static void assertError(String text, int line, int col, String fragment) {
        CircuitParseException e = assertThrows(CircuitParseException.class, () -> CircuitParser.parse(text));
        assertTrue(e.detail().contains(fragment), e.getMessage());
        assertEquals(line + ":" + col, e.line() + ":" + e.column(), e.getMessage());
    }
}
