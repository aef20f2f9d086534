package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tml.cli.Main;

/** Runs every {@code .tml} file under lang-tests/ (except lib/ folders) as one test; see {@link LangTestFile}. */
class LangTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".tml"))
                    .filter(p -> !ROOT.relativize(p).getName(0).toString().equals("src"))
                    .filter(p -> !ROOT.relativize(p).getName(0).toString().equals("target"))
                    .filter(p -> { for (Path part : ROOT.relativize(p)) if (part.toString().equals("lib")) return false; return true; })
                    .sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> langTests() throws IOException {
        System.setProperty("tml.home", ROOT.getParent().toString());
        List<Path> files = files();
        assertTrue(files.size() > 0, "no lang-tests found under " + ROOT);
        return files.stream().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), f.toUri(), () -> runOne(f)));
    }

    record Result(int exit, String out, String err) {}

    static Result tmlc(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void runOne(Path file) throws IOException {
        LangTestFile spec = LangTestFile.parse(Files.readString(file));
        List<String> args = new ArrayList<>(spec.args());
        args.add("--diagnostic-format=json");
        args.add(file.toString());
        Result r = tmlc(args);
        List<LangTestFile.ExpectedDiag> actual = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : r.err().split("\n")) {
            if (line.isBlank()) continue;
            if (!line.startsWith("{")) {
                other.add(line);
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            boolean here = Path.of(o.get("file").getAsString()).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
            int l = o.has("line") ? o.get("line").getAsInt() : 0, c = o.has("column") ? o.get("column").getAsInt() : 0;
            String sev = o.get("severity").getAsString();
            actual.add(new LangTestFile.ExpectedDiag(sev, here ? l : -1, here ? c : -1, o.get("message").getAsString()
                    + (here ? "" : "  [in " + o.get("file").getAsString() + (o.has("line") ? ":" + l + ":" + c : "") + "]")));
        }
        if (r.exit() == Main.INTERNAL || r.err().contains("internal compiler error")) fail("internal compiler error:\n" + r.err());
        if (!other.isEmpty()) fail("unexpected non-diagnostic error output:\n" + String.join("\n", other));
        // every expected diagnostic is there
        List<LangTestFile.ExpectedDiag> unmatched = new ArrayList<>(actual);
        List<String> problems = new ArrayList<>();
        for (LangTestFile.ExpectedDiag want : spec.diagnostics()) {
            LangTestFile.ExpectedDiag hit = null;
            for (LangTestFile.ExpectedDiag got : unmatched) {
                boolean at = want.file().isEmpty() ? got.line() == want.line() && got.column() == want.column()
                        : got.line() == -1 && (got.message().endsWith("/" + want.file() + ":" + want.line() + ":" + want.column() + "]")
                                || got.message().endsWith("[in " + want.file() + ":" + want.line() + ":" + want.column() + "]"));
                if (got.severity().equals(want.severity()) && at && got.message().contains(want.message())) {
                    hit = got;
                    break;
                }
            }
            if (hit == null) problems.add("missing: " + want);
            else unmatched.remove(hit);
        }
        boolean wantsErrors = spec.diagnostics().stream().anyMatch(d -> d.severity().equals("error"));
        for (LangTestFile.ExpectedDiag got : unmatched) {
            if (got.severity().equals("error")) problems.add("unexpected: " + got);
            else if (got.severity().equals("warning") && spec.diagnostics().stream().anyMatch(d -> d.severity().equals("warning"))) {
                problems.add("unexpected: " + got);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nall diagnostics:\n" + String.join("\n", actual.stream().map(Object::toString).toList()));
        }
        assertEquals(wantsErrors ? Main.ERRORS : Main.OK, r.exit(), "exit code; stderr:\n" + r.err());
        checkOutput(spec.checks(), r.out());
    }

    static void checkOutput(List<LangTestFile.Check> checks, String output) {
        String[] lines = output.split("\n");
        int pos = 0;
        List<String> nots = new ArrayList<>();
        for (LangTestFile.Check c : checks) {
            switch (c.kind()) {
                case NOT -> nots.add(c.text());
                case CHECK, NEXT -> {
                    int found = -1;
                    int limit = c.kind() == LangTestFile.Kind.NEXT ? Math.min(lines.length, pos + 1) : lines.length;
                    for (int i = pos; i < limit; i++) {
                        if (lines[i].contains(c.text())) {
                            found = i;
                            break;
                        }
                    }
                    if (found < 0) {
                        fail("line " + c.line() + ": " + (c.kind() == LangTestFile.Kind.NEXT ? "CHECK-NEXT" : "CHECK") + " '" + c.text()
                                + "' not found after output line " + pos + "\noutput:\n" + output);
                    }
                    for (String not : nots) {
                        for (int i = pos; i < found; i++) {
                            if (lines[i].contains(not)) fail("line " + c.line() + ": CHECK-NOT '" + not + "' found: " + lines[i]);
                        }
                    }
                    nots.clear();
                    pos = found + 1;
                }
            }
        }
        for (String not : nots) {
            for (int i = pos; i < lines.length; i++) if (lines[i].contains(not)) fail("CHECK-NOT '" + not + "' found: " + lines[i]);
        }
    }
}
