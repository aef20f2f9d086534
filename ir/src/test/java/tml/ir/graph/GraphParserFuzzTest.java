package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tml.ir.graph.gen.RandomGraphs;

/** Mutated printed graphs: the parser either succeeds or throws IrParseException, quickly. */
class GraphParserFuzzTest {

    private static final String[] TOKENS = {
        "%", "@", "\"", "\\", "{", "}", "(", ")", "[", "]", ",", ":", "=", "-", ".", "//", "\n", " ", "0", "-1",
        "1e", "NaN", "-Infinity", "f32", "graph", "input", "param", "output", "buffer", "const", "uniform", "true",
        "relu", "conv2d", "\\u", "\"\\u00", "99999999999", "\u00e9", "\uD800", "\0",
    };

    static String mutate(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(r.nextInt(10) == 0 ? 30 : 3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int i = r.nextInt(sb.length());
            int j = Math.min(sb.length(), i + 1 + r.nextInt(r.nextBoolean() ? 2 : 40));
            switch (r.nextInt(8)) {
                case 0 -> sb.deleteCharAt(i);                                          // delete a character
                case 1 -> sb.insert(i, sb.charAt(i));                                  // duplicate a character
                case 2 -> {                                                            // swap two characters
                    int k = r.nextInt(sb.length());
                    char c = sb.charAt(i);
                    sb.setCharAt(i, sb.charAt(k));
                    sb.setCharAt(k, c);
                }
                case 3 -> sb.delete(i, j);                                             // delete a run (tokens, lines)
                case 4 -> sb.insert(r.nextInt(sb.length() + 1), sb.substring(i, j));   // duplicate a run elsewhere
                case 5 -> sb.insert(i, TOKENS[r.nextInt(TOKENS.length)]);              // insert a token
                case 6 -> sb.replace(i, j, TOKENS[r.nextInt(TOKENS.length)]);          // replace a run by a token
                default -> sb.setCharAt(i, (char) r.nextInt(128));                     // replace a character
            }
        }
        return sb.toString();
    }

    @Test
    void fiveThousandMutantsParseOrFailCleanly() {
        Random r = new Random(2024);
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RandomGraphs.Options o = RandomGraphs.Options.defaults().withExoticNames(i % 3 == 0);
            seeds.add(GraphPrinter.print(RandomGraphs.random(1000 + i, o)));
        }
        seeds.add(GraphPrinter.print(GraphTextRoundTripTest.everyOp()));
        seeds.add(GraphTextRoundTripTest.RESNET_STEM);
        int[] outcome = new int[3]; // parsed and verified, syntax/verification error, parsed unverified only
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int n = 0; n < 5000; n++) {
                String text = mutate(seeds.get(r.nextInt(seeds.size())), r);
                try {
                    Graph g = GraphParser.parse(text, "fuzz.ir");
                    outcome[0]++;
                    assertTrue(Verifier.verify(g).isEmpty());
                    assertEquals(g, GraphParser.parse(GraphPrinter.print(g), "again.ir"), text);
                } catch (IrParseException e) {
                    outcome[1]++;
                    checkException(e, text);
                } catch (Throwable t) {
                    fail("mutant " + n + " threw " + t + " for:\n" + text, t);
                }
                try {
                    GraphParser.parseUnverified(text, "fuzz.ir");
                    outcome[2]++;
                } catch (IrParseException e) {
                    checkException(e, text);
                }
            }
        });
        // Mutations should hit both paths.
        assertTrue(outcome[0] > 50, "parsed " + outcome[0]);
        assertTrue(outcome[1] > 2500, "rejected " + outcome[1]);
    }

    private static void checkException(IrParseException e, String text) {
        assertFalse(e.detail().startsWith("internal error"), () -> e.getMessage() + " for:\n" + text);
        assertEquals("fuzz.ir", e.fileName());
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        assertTrue(e.line() >= 1 && e.line() <= lines, () -> "line out of range: " + e.getMessage());
        assertTrue(e.column() >= 1, () -> "column out of range: " + e.getMessage());
    }

    @Test
    void randomGarbageAndTruncations() {
        Random r = new Random(99);
        String base = GraphPrinter.print(RandomGraphs.random(5));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int n = 0; n < 2000; n++) {
                String text;
                if (n % 2 == 0) {
                    text = base.substring(0, r.nextInt(base.length() + 1)); // every prefix fails or parses
                } else {
                    StringBuilder sb = new StringBuilder();
                    int len = r.nextInt(200);
                    for (int i = 0; i < len; i++) sb.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : TOKENS[r.nextInt(TOKENS.length)]);
                    text = sb.toString();
                }
                try {
                    GraphParser.parse(text, "fuzz.ir");
                } catch (IrParseException e) {
                    checkException(e, text);
                }
            }
        });
    }
}
