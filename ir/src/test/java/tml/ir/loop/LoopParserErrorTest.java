package tml.ir.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tml.ir.graph.IrParseException;

/** Syntax errors name the line, the column and what was expected; no input throws anything else. */
class LoopParserErrorTest {
    static String error(String text) {
        IrParseException e = assertThrows(IrParseException.class, () -> LoopParser.parse(text, "bad.loop"));
        return e.getMessage();
    }

    @Test
    void messagesCarryLineAndColumn() {
        assertEquals("bad.loop:1:1: error: expected 'program', found 'graph'", error("graph @x {}"));
        assertEquals("bad.loop:2:9: error: expected the arena size in bytes, found 'x'", error("program @p {\n  arena x\n}"));
        assertEquals("bad.loop:4:22: error: expected a role: input, output, weight, arena, scratch or view, found 'heap'",
                error("program @p {\n  arena 0\n  weights 0\n  buffer %a : f32[4] heap 0\n}"));
        assertEquals("bad.loop:5:22: error: expected '{' or a loop annotation (serial, unroll(k), vectorize(w), parallel), found 'fast'",
                error("program @p {\n  arena 0\n  weights 0\n  kernel @k {\n    for $i in 0 .. 4 fast {}\n  }\n}"));
        assertTrue(error("program @p {\n arena 0\n weights 0\n kernel @k {\n  %y[0] = $a < $b < $c\n }\n}")
                .startsWith("bad.loop:5:19: error: comparisons do not chain"));
        assertEquals("bad.loop:1:6: error: unexpected character '#'", error("prog #"));
        assertEquals("bad.loop:4:34: error: unknown weight transform 'fft'",
                error("program @p {\n  arena 0\n  weights 64\n  buffer %u : f32[16] weight 0 = fft(%w)\n}"));
        assertTrue(error("program @p {\n arena 0\n weights 0\n kernel @k {\n  %y[0] = exp(1.0, 2.0)\n }\n}").contains("exp takes 1 argument, got 2"));
    }

    @Test
    void invalidProgramsAreRejectedByTheVerifier() {
        String msg = error("program @p {\n arena 0\n weights 0\n buffer %x : f32[4] input 0\n kernel @k {\n  %x[0] = 1.0\n }\n}");
        assertTrue(msg.contains("stores to %x, which is read-only"), msg);
    }

    static final String SPECIAL = "{}[]()%$@.,-=<>\"\\0x9eE#?";

    @Test
    void fuzzedInputOnlyEverGivesParseErrors() {
        Random r = new Random(3);
        String base = LoopTextTest.PROGRAM;
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(base);
            int edits = 1 + r.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, SPECIAL.charAt(r.nextInt(SPECIAL.length())));
                    default -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
                }
            }
            try {
                LoopParser.parse(sb.toString(), "fuzz.loop");
            } catch (IrParseException expected) {
                assertTrue(expected.line() >= 1 && expected.column() >= 1);
            }
        }
    }
}
