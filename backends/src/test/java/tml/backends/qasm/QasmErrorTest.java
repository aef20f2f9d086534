package tml.backends.qasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QasmErrorTest {
    private static final String HEAD = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n";

    private static void assertError(String src, int line, int col, String fragment) {
        QasmParseException e = assertThrows(QasmParseException.class, () -> Qasm2Importer.parse(src));
        assertTrue(e.detail().contains(fragment), e.getMessage());
        assertEquals(line + ":" + col, e.line() + ":" + e.column(), e.getMessage());
    }

    @Test
    void diagnosticsCarryLineAndColumn() {
        assertError(HEAD + "h q[2];", 5, 5, "index 2 out of range for q[2]");
        assertError(HEAD + "foo q[0];", 5, 1, "unknown gate 'foo'");
        assertError("OPENQASM 2.0;\nqreg q[1];\nh q[0];", 3, 1, "missing include \"qelib1.inc\"");
        assertError(HEAD + "cx q[0];", 5, 1, "acts on 2 qubit(s), got 1");
        assertError(HEAD + "rx q[0];", 5, 1, "takes 1 parameter(s), got 0");
        assertError(HEAD + "cx q[0], q[0];", 5, 10, "same qubit twice");
        assertError(HEAD + "h r[0];", 5, 3, "unknown quantum register 'r'");
        assertError(HEAD + "h c[0];", 5, 3, "'c' is not a quantum register");
        assertError(HEAD + "measure q -> c[0];", 5, 9, "measure of 2 qubit(s) into 1");
        assertError(HEAD + "h q[0]", 5, 7, "expected ';', found end of file");
        assertError(HEAD + "rx(1/0) q[0];", 5, 1, "evaluates to Infinity");
        assertError(HEAD + "rx(theta) q[0];", 5, 4, "unknown parameter 'theta'");
        assertError(HEAD + "if (c == 4) x q[0];", 5, 10, "can never equal the 2-bit register c");
        assertError(HEAD + "if (q == 1) x q[0];", 5, 5, "is a quantum register");
        assertError(HEAD + "if (c == 1) barrier q;", 5, 13, "'if' guards a gate");
        assertError(HEAD + "gate h a { x a; }", 5, 6, "already defined in qelib1.inc");
        assertError(HEAD + "gate g a { measure a; }", 5, 12, "not allowed in a gate body");
        assertError(HEAD + "gate g a { x b; }", 5, 14, "unknown qubit argument 'b'");
        assertError(HEAD + "gate g(t) a { rx(u) a; }", 5, 18, "unknown parameter 'u'");
        assertError(HEAD + "gate g a { foo a; }", 5, 12, "unknown gate 'foo'");
        assertError(HEAD + "opaque o a;\no q[0];", 6, 1, "opaque gate 'o'");
        assertError(HEAD + "qreg q[3];", 5, 6, "already declared");
        assertError(HEAD + "qreg r[0];", 5, 8, "must be positive");
        assertError(HEAD + "qreg r[99999999999999999999];", 5, 8, "too large");
        assertError(HEAD + "include \"other.inc\";", 5, 9, "only qelib1.inc");
        assertError("OPENQASM 3.0;", 1, 10, "only OpenQASM 2");
        assertError(HEAD + "h q[0]; $", 5, 9, "unexpected character '$'");
        assertError(HEAD + "/* open", 5, 1, "unterminated comment");
        assertError(HEAD + "rx(" + "(".repeat(500) + "1" + ")".repeat(500) + ") q[0];", 5, 204, "nested too deeply");
        assertError(HEAD + "qreg u[3]; cx q, u;", 5, 12, "different sizes");
    }

    @Test
    void exponentialExpansionIsStopped() {
        StringBuilder sb = new StringBuilder(HEAD + "gate g0 a { x a; x a; }\n");
        for (int i = 1; i < 30; i++) sb.append("gate g").append(i).append(" a { g").append(i - 1).append(" a; g").append(i - 1).append(" a; }\n");
        sb.append("g29 q[0];\n");
        assertError(sb.toString(), 35, 1, "circuit too large");
    }

    /** Random edits of valid programs either import or fail with a positioned QasmParseException. */
    @Test
    void fuzzedInputNeverThrowsAnythingElse() {
        String[] seeds = {
                HEAD + "gate g(t) a,b { rx(t/2) a; cx a,b; }\nh q;\ng(pi/3) q[0],q[1];\nmeasure q -> c;\nif (c==1) x q[1];\nreset q[0];\nbarrier q;\n",
                HEAD + "u3(0.1,0.2,0.3) q[0];\ncu1(-pi) q[1],q[0];\nc3x q[0],q[1],q[0],q[1];\nrx(sin(2)^2) q[1];\n",
        };
        String alphabet = "qch;[](),{}->==+-*/^ 0123456789.eE\"gateifpiU CXmeasure\n//*";
        SplittableRandom rng = new SplittableRandom(61);
        int ok = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder(seeds[i % seeds.length]);
            int edits = rng.nextInt(3) == 0 ? 2 : 1;
            for (int e = 0; e < edits; e++) {
                int at = rng.nextInt(s.length());
                switch (rng.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                }
            }
            try {
                Qasm2Importer.parse(s.toString());
                ok++;
            } catch (QasmParseException e) {
                assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
                assertTrue(!e.detail().startsWith("cannot import"), () -> "unexpected internal failure: " + e.getMessage() + "\n" + s);
            } catch (Throwable t) {
                fail("non-QasmParseException " + t + " for\n" + s);
            }
        }
        assertTrue(ok > 50 && ok < 2900, "fuzzing should produce both valid and invalid programs: " + ok);
    }
}
