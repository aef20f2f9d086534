package tml.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.grammar.TMLLexer;

/**
 * Feeds {@code tmlc check} thousands of broken programs made from the standard library and the lang-tests by
 * deleting, duplicating, swapping and replacing tokens and characters. Whatever the input, the compiler must
 * answer with exit code 0 or 1 and well-formed diagnostics: never a crash, an internal error or a hang.
 *
 * <p>Every variant has its own seed; a failure prints it with the mutated program. To rerun one variant:
 * {@code mvn -pl cli test -Dtest=MutationTest -Dtml.mutation.variant=N} (and {@code -Dtml.mutation.seed=S}
 * if the base seed was changed); {@code -Dtml.mutation.variants=N} changes how many are run.
 */
class MutationTest {
    private static final long BASE_SEED = Long.getLong("tml.mutation.seed", 20_240_601L);
    private static final int VARIANTS = Integer.getInteger("tml.mutation.variants", 3000);
    /** Far above the few milliseconds a variant takes, so that a loaded machine does not fail the test. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A generous stack, like tmlc's own, but smaller: a variant that recurses endlessly fails sooner. */
    private static final long STACK = 256L << 20;
    private static final int MAX_REPORTED = 5;

    /** Characters that are likely to matter to the lexer and parser. */
    private static final String ALPHABET = "(){}[]<>,.;:=+-*/%@!|&\"'_ \n\t\\#$~?^`0123456789xeEfnlb\u00e9\u00ff\u2028\u0000\u001b\ud83d\ude00";

    /**
     * Small values, and values past the compiler's limits. Not mid-sized counts such as 100000: a loop of
     * 100000 ResNet blocks is a valid network that takes many seconds to elaborate, not a bug.
     */
    private static final String[] EXTREMES = {"0", "-1", "1", "3", "2147483647", "2147483648", "9223372036854775807",
        "1e308", "1e-320", "0.0", "-0.5", "10000001", "1_000_000_000", "0x7fffffff"};

    record Base(Path file, String text, List<String> tokens, List<String> gaps) {}

    @Test
    void brokenProgramsNeverCrashOrHang(@TempDir Path tmp) throws IOException {
        List<Base> corpus = corpus();
        assertFalse(corpus.isEmpty(), "no .tml files found under " + Cli.ROOT);
        Path stdlibDir = Cli.ROOT.resolve("stdlib");
        List<Base> stdlib = corpus.stream().filter(b -> b.file().startsWith(stdlibDir)).toList();
        List<Base> langTests = corpus.stream().filter(b -> !b.file().startsWith(stdlibDir)).toList();
        Integer only = Integer.getInteger("tml.mutation.variant");
        int first = only == null ? 0 : only, last = only == null ? VARIANTS : only + 1;

        long start = System.nanoTime();
        int[] codes = new int[5];
        List<String> failures = new ArrayList<>();
        int run = 0;
        for (int i = first; i < last; i++) {
            long seed = BASE_SEED * 1_000_003L + i;
            Random rnd = new Random(seed);
            // half the variants come from the standard library: fewer files than the lang-tests, but real programs
            List<Base> from = !stdlib.isEmpty() && (langTests.isEmpty() || rnd.nextBoolean()) ? stdlib : langTests;
            Base base = from.get(rnd.nextInt(from.size()));
            List<String> ops = new ArrayList<>();
            // lone surrogates (half an emoji) become '?' in UTF-8; show the program as written
            byte[] bytes = mutate(base, rnd, ops).getBytes(StandardCharsets.UTF_8);
            String source = new String(bytes, StandardCharsets.UTF_8);
            Path dir = tmp.resolve("v" + (i % 2));
            Files.createDirectories(dir);
            Path file = dir.resolve(base.file().getFileName().toString());
            Files.write(file, bytes);
            String path = file.toString();
            Cli.Result r = Cli.run(STACK, TIMEOUT, "check", "-I", base.file().getParent().toString(), path);
            run++;
            if (r.code() >= 0 && r.code() < codes.length) codes[r.code()]++;
            List<String> problems = Cli.problems(r, path);
            if (!problems.isEmpty()) {
                failures.add(report(i, seed, base, ops, source, problems, r));
                // A variant that hangs keeps its thread busy; stop rather than measure on a loaded machine.
                if (r.timedOut() || failures.size() >= MAX_REPORTED) break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("MutationTest: %d variants of %d files (%d in stdlib) in %.1f s (%.1f ms each): %d exit 0, %d exit 1, %d failed%n",
                run, corpus.size(), stdlib.size(), millis / 1000.0, millis / (double) Math.max(1, run), codes[0], codes[1], failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " broken program(s) were not handled cleanly:\n\n" + String.join("\n\n", failures));
        if (only == null) assertTrue(run >= VARIANTS, "ran only " + run + " variants");
    }

    /** The checks above would see a crash: {@link Cli#problems} flags each kind of bad answer. */
    @Test
    void theCheckerSeesCrashes() {
        String path = "/tmp/m/x.tml";
        List<String> args = List.of("check", path);
        String good = path + ":1:9: error: unknown name 'y'\n  let x = y\n          ^\n" + path + ": error: no such file\n"
                + path + ":2:1: warning: unused\n" + "other.tml:1:1: note: here\n";
        assertTrue(Cli.problems(new Cli.Result(args, 1, "", good, 1, false, null), path).isEmpty());
        String ice = "tmlc: internal compiler error: java.lang.NullPointerException\n    at tml.frontend.X.y(X.java:1)\n";
        assertFalse(Cli.problems(new Cli.Result(args, 4, "", ice, 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, 1, "", "java.lang.IllegalStateException: x\n", 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, 1, "", "oops\n\tat a.b.C.d(C.java:3)\n", 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, 1, "", path + ":3: error: no column\n", 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, 1, "", path + ":3:4: oops\n", 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, 2, "", "tmlc: error: usage\n", 1, false, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, -1, "", "", 10_000, true, null), path).isEmpty());
        assertFalse(Cli.problems(new Cli.Result(args, -1, "", "", 1, false, new StackOverflowError()), path).isEmpty());
    }

    private static String report(int index, long seed, Base base, List<String> ops, String source, List<String> problems, Cli.Result r) {
        return "variant " + index + " (seed " + seed + ", rerun with -Dtml.mutation.variant=" + index + ") of " + Cli.ROOT.relativize(base.file())
                + "\n  mutations: " + String.join(", ", ops)
                + "\n  problems: " + String.join("; ", problems)
                + "\n  " + r
                + "\n----- mutated program -----\n" + source + "\n----- end -----";
    }

    // ---------------------------------------------------------------- corpus

    /** The standard library and the lang-tests (not their lib/ folders, which they import). */
    static List<Base> corpus() throws IOException {
        List<Base> out = new ArrayList<>();
        for (Path root : List.of(Cli.ROOT.resolve("stdlib"), Cli.ROOT.resolve("lang-tests"))) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".tml") && Files.isRegularFile(p))
                        .filter(p -> {
                            for (Path part : root.relativize(p)) if (part.toString().equals("lib") || part.toString().equals("target")) return false;
                            return true;
                        })
                        .sorted()
                        .forEach(p -> out.add(base(p)));
            }
        }
        return out;
    }

    private static Base base(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TMLLexer lexer = new TMLLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<String> tokens = new ArrayList<>(), gaps = new ArrayList<>();
        int at = 0;
        for (Token t : lexer.getAllTokens()) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == Token.EOF) continue;
            gaps.add(text.substring(at, t.getStartIndex()));
            tokens.add(t.getText());
            at = t.getStopIndex() + 1;
        }
        gaps.add(text.substring(at));
        return new Base(file, text, tokens, gaps);
    }

    // ---------------------------------------------------------------- mutations

    /** Applies one to three random token or character mutations; {@code ops} records what was done. */
    static String mutate(Base base, Random rnd, List<String> ops) {
        List<String> toks = new ArrayList<>(base.tokens());
        int n = 1 + rnd.nextInt(3);
        List<Integer> charOps = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (toks.isEmpty() || rnd.nextInt(10) < 4) {
                charOps.add(rnd.nextInt(5));
                continue;
            }
            int i = rnd.nextInt(toks.size());
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    ops.add("delete token " + i + " '" + toks.get(i) + "'");
                    toks.set(i, "");
                }
                case 1 -> {
                    ops.add("duplicate token " + i + " '" + toks.get(i) + "'");
                    toks.set(i, toks.get(i) + " " + toks.get(i));
                }
                case 2 -> {
                    int j = rnd.nextBoolean() ? Math.min(toks.size() - 1, i + 1) : rnd.nextInt(toks.size());
                    ops.add("swap tokens " + i + " '" + toks.get(i) + "' and " + j + " '" + toks.get(j) + "'");
                    String t = toks.get(i);
                    toks.set(i, toks.get(j));
                    toks.set(j, t);
                }
                case 3 -> {
                    int j = rnd.nextInt(toks.size());
                    ops.add("replace token " + i + " '" + toks.get(i) + "' by '" + toks.get(j) + "'");
                    toks.set(i, toks.get(j));
                }
                default -> {
                    // a number (or else any token) becomes an extreme value: shapes, kernels and loops meet their limits
                    int at = i;
                    for (int m = 0; m < toks.size(); m++) {
                        int j = (i + m) % toks.size();
                        if (!toks.get(j).isEmpty() && Character.isDigit(toks.get(j).charAt(0))) {
                            at = j;
                            break;
                        }
                    }
                    String v = EXTREMES[rnd.nextInt(EXTREMES.length)];
                    ops.add("replace token " + at + " '" + toks.get(at) + "' by " + v);
                    toks.set(at, v);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < toks.size(); i++) sb.append(base.gaps().get(i)).append(toks.get(i));
        sb.append(base.gaps().get(toks.size()));
        for (int op : charOps) mutateChars(sb, op, rnd, ops);
        return sb.toString();
    }

    private static void mutateChars(StringBuilder sb, int op, Random rnd, List<String> ops) {
        int len = sb.length();
        int at = len == 0 ? 0 : rnd.nextInt(len);
        switch (op) {
            case 0 -> {
                if (len == 0) return;
                ops.add("delete character " + at);
                sb.deleteCharAt(at);
            }
            case 1 -> {
                char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
                ops.add("insert U+" + String.format("%04X", (int) c) + " at " + at);
                sb.insert(at, c);
            }
            case 2 -> {
                int span = Math.min(len - at, 1 + rnd.nextInt(40));
                ops.add("duplicate characters " + at + ".." + (at + span));
                sb.insert(at, sb.substring(at, at + span));
            }
            case 3 -> {
                if (len < 2) return;
                int a = Math.min(at, len - 2);
                ops.add("swap characters " + a + " and " + (a + 1));
                char c = sb.charAt(a);
                sb.setCharAt(a, sb.charAt(a + 1));
                sb.setCharAt(a + 1, c);
            }
            default -> {
                ops.add("truncate at " + at);
                sb.setLength(at);
            }
        }
    }
}
