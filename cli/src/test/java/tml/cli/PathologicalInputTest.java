package tml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs meant to break a compiler: garbage bytes, absurd nesting, 10 MB lines, huge numbers and tensors,
 * endless loops and recursion, import cycles, files that are not there or not files. Each must end quickly
 * with exit code 1 and a {@code file:line:col: error:} or {@code file: error:} diagnostic, never a stack trace.
 */
class PathologicalInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration BIG_LIMIT = Duration.ofSeconds(60);
    private static final int DEEP = 10_000;

    @TempDir Path dir;

    // ---------------------------------------------------------------- helpers

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Runs {@code tmlc check file} and expects exit 1 with a first diagnostic about the file containing {@code message}. */
    private Cli.Result expectError(Path file, String message) {
        return expectError(file, message, LIMIT, "check");
    }

    private Cli.Result expectError(Path file, String message, Duration limit, String command) {
        String path = file.toString();
        Cli.Result r = Cli.run(limit, command, path);
        Cli.assertClean(r, path);
        assertEquals(Main.ERRORS, r.code(), () -> "expected exit 1\n" + r);
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(Cli.diagnosticLine(path).matcher(first).matches() && first.contains(": error: "),
                () -> "the first line is not 'file:line:col: error:' or 'file: error:'\n" + r);
        assertTrue(r.err().contains(message), () -> "expected a message containing '" + message + "'\n" + r);
        // a diagnostic quotes the input, but never megabytes of it
        assertTrue(r.err().length() < 20_000, () -> "the diagnostics are " + r.err().length() + " characters long\n" + r);
        return r;
    }

    private Cli.Result expectOk(Path file) {
        Cli.Result r = Cli.run(LIMIT, "check", file.toString());
        Cli.assertClean(r, file.toString());
        assertEquals(Main.OK, r.code(), () -> "expected exit 0\n" + r);
        return r;
    }

    private static String repeat(String s, int n) { return s.repeat(n); }

    // ---------------------------------------------------------------- bytes and text

    @Test
    void randomBytesAreNotUtf8() throws IOException {
        Random rnd = new Random(1);
        for (int k = 0; k < 5; k++) {
            byte[] bytes = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(bytes);
            bytes[rnd.nextInt(bytes.length)] = (byte) 0xff; // never valid in UTF-8
            Path p = dir.resolve("garbage" + k + ".tml");
            Files.write(p, bytes);
            expectError(p, "not valid UTF-8");
        }
    }

    @Test
    void invalidUtf8AfterValidText() throws IOException {
        Path p = dir.resolve("latin1.tml");
        Files.write(p, "let caf\u00e9 = 1 // caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        expectError(p, "not valid UTF-8");
    }

    @Test
    void randomValidUtf8Text() throws IOException {
        Random rnd = new Random(2);
        for (int k = 0; k < 5; k++) {
            StringBuilder sb = new StringBuilder("network N() {\n");
            for (int i = 0; i < 2000; i++) {
                int cp = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(0x80);
                    case 1 -> 0x80 + rnd.nextInt(0x700);
                    case 2 -> 0x800 + rnd.nextInt(0xD000);
                    default -> 0x10000 + rnd.nextInt(0x10000);
                };
                sb.appendCodePoint(cp);
            }
            expectError(write("text" + k + ".tml", sb.toString()), "error");
        }
    }

    @Test
    void controlCharactersAndNul() throws IOException {
        expectError(write("nul.tml", "let x = 1\u0000\nlet y = \u001b[31m 2\n"), "unexpected character U+0000");
    }

    @Test
    void emptyFileAndOnlyComments() throws IOException {
        for (Path p : new Path[] {write("empty.tml", ""), write("comments.tml", "// a line\n/* a block\n over lines */\n/// a doc comment\n")}) {
            Cli.Result r = expectOk(p);
            assertEquals("", r.err(), r::toString);
            // there is nothing to compile to IR
            expectError(p, "declares no network", LIMIT, "ir");
        }
    }

    @Test
    void unterminatedComment() throws IOException {
        expectError(write("open_comment.tml", "let x = 1\n/* never closed\n" + repeat("let y = 2\n", 1000)), "error");
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void deeplyNestedParentheses() throws IOException {
        expectError(write("parens.tml", "let x = " + repeat("(", DEEP) + "1" + repeat(")", DEEP) + "\n"), "nested");
        expectOk(write("parens_ok.tml", "let x = " + repeat("(", 200) + "1" + repeat(")", 200) + "\n"));
    }

    @Test
    void deeplyNestedBlocks() throws IOException {
        String body = repeat("for i in 0..1 {\n", DEEP) + "let y = nope\n" + repeat("}\n", DEEP);
        expectError(write("blocks.tml", "fn f() -> int {\n" + body + "return 0\n}\nlet z = f()\n"), "nested");
        String ok = repeat("for i in 0..1 {\n", 200) + "let y = nope\n" + repeat("}\n", 200);
        expectError(write("blocks_ok.tml", "fn f() -> int {\n" + ok + "return 0\n}\nlet z = f()\n"), "unknown name 'nope'");
    }

    @Test
    void deeplyNestedIfs() throws IOException {
        expectError(write("ifs.tml", "let x = " + repeat("if true { ", DEEP) + "1" + repeat(" }", DEEP) + "\n"), "nested");
        expectError(write("if_statements.tml", "network N() {\n  input x: f32[1, 4]\n" + repeat("if true {\n", DEEP)
                + "let y = x |> relu\n" + repeat("}\n", DEEP) + "  output y = x\n}\n"), "nested");
        expectError(write("ifs_ok.tml", "let x = " + repeat("if true { ", 200) + "nope" + repeat(" }", 200) + "\n"), "unknown name 'nope'");
    }

    @Test
    void deeplyNestedLists() throws IOException {
        expectError(write("lists.tml", "let x = " + repeat("[", DEEP) + "1" + repeat("]", DEEP) + "\n"), "nested");
        expectError(write("unclosed.tml", "let x = " + repeat("[(", DEEP) + "\n"), "error");
        expectOk(write("lists_ok.tml", "let x = " + repeat("[", 200) + "1" + repeat("]", 200) + "\n"));
    }

    @Test
    void longOperatorChains() throws IOException {
        // each makes a parse tree as deep as the chain is long, or (+, -) makes ANTLR look far ahead
        expectError(write("plus.tml", "let x = 1" + repeat(" + 1", 100_000) + "\n"), "too long");
        expectError(write("times.tml", "let x = 1" + repeat(" * 1", 50_000) + "\n"), "nested");
        expectError(write("minus.tml", "let x = " + repeat("-", 50_000) + "1\n"), "nested");
        expectError(write("power.tml", "let x = 1" + repeat(" ** 1", 50_000) + "\n"), "nested");
        expectError(write("pipes.tml", "network N() {\n  input x: f32[1, 4]\n  output y = x" + repeat(" |> relu", 50_000) + "\n}\n"), "nested");
        // but ordinary long expressions compile
        expectOk(write("plus_ok.tml", "let x = 1" + repeat(" + 1", 1000) + "\nlet y = 1" + repeat(" * 1", 1000) + "\n"));
    }

    // ---------------------------------------------------------------- size

    @Test
    void tenMegabyteList() throws IOException {
        StringBuilder sb = new StringBuilder("let x = [");
        while (sb.length() < 10_000_000) sb.append("1000000, ");
        sb.append("nope]\n");
        expectError(write("list10mb.tml", sb.toString()), "unknown name 'nope'", BIG_LIMIT, "check");
    }

    @Test
    void tenMegabyteIdentifier() throws IOException {
        Cli.Result r = expectError(write("ident10mb.tml", "let x = " + repeat("a", 10_000_000) + "\n"), "unknown name", BIG_LIMIT, "check");
        assertTrue(r.err().contains("..."), r::toString);
    }

    @Test
    void tenMegabyteCommentAndString() throws IOException {
        expectError(write("comment10mb.tml", "// " + repeat("a", 10_000_000) + "\nlet x = nope\n"), "unknown name 'nope'", BIG_LIMIT, "check");
        expectError(write("string10mb.tml", "let x = \"" + repeat("b", 10_000_000) + "\" + 1\n"), "error", BIG_LIMIT, "check");
        expectError(write("open_string.tml", "let x = \"" + repeat("c", 10_000_000) + "\n"), "error", BIG_LIMIT, "check");
    }

    @Test
    void fileOverTheSizeLimit() throws IOException {
        Path p = dir.resolve("huge.tml");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(65L << 20); // sparse: costs no disk
        }
        expectError(p, "too large");
    }

    @Test
    void hugeNumbers() throws IOException {
        expectError(write("int.tml", "let x = 1" + repeat("0", 100_000) + "\n"), "does not fit");
        expectError(write("hex.tml", "let x = 0x" + repeat("f", 1000) + "\n"), "does not fit");
        expectError(write("float.tml", "let x = 1e999999\n"), "error");
        expectError(write("float_digits.tml", "let x = 1" + repeat("0", 400) + ".5\n"), "error");
        expectError(write("overflow.tml", "fn f() -> int {\n  return 9223372036854775807 + 1\n}\nlet x = f()\n"), "overflow");
        expectError(write("power.tml", "fn f() -> int {\n  return 2 ** 100000000000\n}\nlet x = f()\n"), "overflow");
        expectError(write("min.tml", "fn f() -> int {\n  return -(-9223372036854775807 - 1)\n}\nlet x = f()\n"), "overflow");
    }

    @Test
    void enormousTensors() throws IOException {
        expectError(write("dims.tml", "network N() {\n  input x: f32[100000, 100000, 100000]\n  output y = x |> relu\n}\n"), "elements");
        expectError(write("dim.tml", "network N() {\n  input x: f32[1, 99999999999]\n  output y = x |> relu\n}\n"), "error");
        expectError(write("linear.tml", "network N() {\n  input x: f32[1, 100000]\n  output y = x |> linear(100000000)\n}\n"), "error");
        expectError(write("reshape.tml", "network N() {\n  input x: f32[1, 4]\n  output y = x |> reshape([1, 2147483647, 2147483647])\n}\n"), "error");
    }

    // ---------------------------------------------------------------- evaluation that never ends

    @Test
    void endlessLoops() throws IOException {
        expectError(write("for.tml", "network N() {\n  input x: f32[1, 4]\n  for i in 0..1000000000000 {\n    let y = i\n  }\n  output y = x\n}\n"), "too large");
        expectError(write("range.tml", "fn f() -> int {\n  for i in range(9223372036854775807) {\n    let y = i\n  }\n  return 0\n}\nlet z = f()\n"), "error");
        expectError(write("repeat.tml", "let xs = [1, 2] * 4611686018427387904\n"), "cannot repeat");
        expectError(write("parity.tml", "fn f() -> int {\n  return (-1) ** 1000000000000000 + nope\n}\nlet z = f()\n"), "unknown name 'nope'");
    }

    @Test
    void valuesThatGrowExponentially() throws IOException {
        expectError(write("grow_list.tml", "fn g(xs: list, n: int) -> list {\n  return if n == 0 { xs } else { g(xs + xs, n - 1) }\n}\nlet z = g([0], 60)\n"), "more than");
        expectError(write("grow_str.tml", "fn g(s: str, n: int) -> str {\n  return if n == 0 { s } else { g(s + s, n - 1) }\n}\nlet z = g(\"ab\", 60)\n"), "more than");
        // [x, x] shares x: small in memory, exponentially long when printed or compared element by element
        String tree = "fn g(x, n: int) {\n  return if n == 0 { x } else { g([x, x], n - 1) }\n}\n";
        expectError(write("tree_show.tml", tree + "let t = if g([0], 60) { 1 } else { 2 }\n"), "condition");
        expectError(write("tree_str.tml", tree + "let s = str(g([0], 60)) + 1\n"), "error");
        expectError(write("tree_eq.tml", tree + "let e = (g([0], 60) == g([0], 60)) + 1\n"), "error");
    }

    @Test
    void infiniteRecursion() throws IOException {
        expectError(write("block.tml", "block b(x) {\n  return x |> b\n}\nnetwork N() {\n  input x: f32[1, 4]\n  output y = x |> b\n}\n"), "deep");
        expectError(write("fn.tml", "fn f(n: int) -> int {\n  return f(n + 1)\n}\nlet z = f(0)\n"), "deep");
        expectError(write("mutual.tml", "fn f(n: int) -> int {\n  return g(n) + 1\n}\nfn g(n: int) -> int {\n  return f(n)\n}\nlet z = f(0)\n"), "deep");
        expectError(write("seq.tml", "block b(x) {\n  return x |> seq { relu  b }\n}\nnetwork N() {\n  input x: f32[1, 4]\n  output y = x |> b\n}\n"), "deep");
        expectError(write("fork.tml", "fn f(n: int) -> int {\n  return f(n + 1) + f(n + 2)\n}\nlet z = f(0)\n"), "error");
        expectError(write("consts.tml", "let a = b + 1\nlet b = a + 1\n"), "itself");
    }

    // ---------------------------------------------------------------- files and modules

    @Test
    void moduleImportingItself() throws IOException {
        expectError(write("self.tml", "import self\nlet x = 1\n"), "cycle");
        Path ping = write("ping.tml", "import pong\nlet a = 1\n");
        write("pong.tml", "import ping\nlet b = 2\n");
        Cli.Result r = Cli.run(LIMIT, "check", ping.toString());
        Cli.assertClean(r, ping.toString());
        assertEquals(Main.ERRORS, r.code(), r::toString);
        // the cycle closes in pong.tml
        assertTrue(r.err().lines().anyMatch(l -> l.matches(".*pong\\.tml:1:8: error: import cycle.*")), r::toString);
        expectError(write("missing_import.tml", "import no.such.thing\nlet x = 1\n"), "cannot find module");
    }

    @Test
    void importOfAGarbageModule() throws IOException {
        Files.write(dir.resolve("junk.tml"), new byte[] {'l', 'e', 't', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
        Path main = write("uses_junk.tml", "import junk\nlet x = 1\n");
        Cli.Result r = Cli.run(LIMIT, "check", main.toString());
        Cli.assertClean(r, main.toString());
        assertEquals(Main.ERRORS, r.code(), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.matches(".*junk\\.tml: error: .*not valid UTF-8.*")), r::toString);
    }

    @Test
    void missingFileAndDirectory() throws IOException {
        expectError(dir.resolve("nothing_here.tml"), "no such file");
        Path sub = Files.createDirectories(dir.resolve("folder.tml"));
        expectError(sub, "directory");
        for (String command : new String[] {"run", "ir", "report"}) expectError(dir.resolve("nothing_here.tml"), "no such file", LIMIT, command);
    }

    @Test
    void unreadableFile() throws IOException {
        Path p = write("secret.tml", "let x = 1\n");
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            assumeFalse(true, "no POSIX permissions here");
        }
        assumeFalse(Files.isReadable(p), "this user (root?) can read files without permission");
        expectError(p, "cannot read");
    }
}
