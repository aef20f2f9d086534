package tml.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Runs {@link Main#run} in-process on its own thread, with a time limit, and checks what it printed. */
final class Cli {
    private Cli() {}

    /** The repository root: the parent of the cli module (the tests' working directory). */
    static final Path ROOT = findRoot();

    /** The stack {@code tmlc} itself runs with ({@link Main#main}). */
    static final long CLI_STACK = 1L << 30;

    static {
        System.setProperty("tml.home", ROOT.toString());
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("stdlib")) && Files.isDirectory(p.resolve("cli")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        String repo = System.getProperty("tml.repo");
        if (repo != null) return Path.of(repo).toAbsolutePath();
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    /** What one {@code tmlc} invocation did. {@code code} is -1 when it timed out or threw. */
    record Result(List<String> args, int code, String out, String err, long millis, boolean timedOut, Throwable thrown) {
        @Override public String toString() {
            return "tmlc " + String.join(" ", args) + "\n  exit " + code + (timedOut ? " (TIMED OUT after " + millis + " ms)" : " in " + millis + " ms")
                    + (thrown == null ? "" : "\n  threw " + thrown)
                    + "\n  stdout: " + clip(out, 2000) + "\n  stderr: " + clip(err, 4000);
        }
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " characters)";
    }

    static Result run(Duration timeout, String... args) {
        return run(CLI_STACK, timeout, args);
    }

    /**
     * Runs {@code tmlc args} on a fresh daemon thread with the given stack. A run that does not finish in
     * time is reported as timed out (its thread is left behind: Java cannot stop it).
     */
    static Result run(long stackBytes, Duration timeout, String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        int[] code = {-1};
        Throwable[] thrown = {null};
        Thread t = new Thread(null, () -> {
            try {
                code[0] = Main.run(args, out, err);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "tmlc-test", stackBytes);
        t.setDaemon(true);
        long start = System.nanoTime();
        t.start();
        boolean done;
        try {
            t.join(timeout.toMillis());
            done = !t.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.flush();
        err.flush();
        return new Result(List.of(args), done ? code[0] : -1, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8), millis, !done, thrown[0]);
    }

    private static final Pattern JAVA_FRAME = Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$");

    /**
     * What is wrong with how {@code tmlc} reported on {@code path}: an exit code other than 0 or 1, a timeout,
     * an escaped throwable, an internal compiler error, a Java exception or stack trace in the output, or a
     * line about the file that is not {@code path:line:col: severity: message} or {@code path: severity: message}.
     */
    static List<String> problems(Result r, String path) {
        List<String> p = new ArrayList<>();
        if (r.timedOut()) p.add("did not finish within the time limit (" + r.millis() + " ms)");
        if (r.thrown() != null) p.add("Main.run threw " + r.thrown());
        if (!r.timedOut() && r.thrown() == null && r.code() != Main.OK && r.code() != Main.ERRORS) p.add("exit code " + r.code());
        for (String stream : new String[] {r.err(), r.out()}) {
            if (stream.contains("internal compiler error")) p.add("an internal compiler error");
            if (stream.contains("Exception")) p.add("'Exception' in the output");
            for (String line : stream.split("\n", -1)) {
                if (line.startsWith("\tat ") || JAVA_FRAME.matcher(line).matches()) {
                    p.add("a stack-trace line: " + line);
                    break;
                }
            }
        }
        Pattern diag = diagnosticLine(path);
        for (String line : r.err().split("\n", -1)) {
            if (line.startsWith(path) && !diag.matcher(line).matches()) p.add("a malformed diagnostic line: " + clip(line, 300));
        }
        return p;
    }

    /** {@code path:line:col: severity: message} or {@code path: severity: message}. */
    static Pattern diagnosticLine(String path) {
        return Pattern.compile("^" + Pattern.quote(path) + "(:\\d+:\\d+)?: (error|warning|note): \\S.*$");
    }

    /** Asserts that the run finished cleanly in the sense of {@link #problems}. */
    static void assertClean(Result r, String path) {
        List<String> p = problems(r, path);
        assertTrue(p.isEmpty(), () -> String.join("; ", p) + "\n" + r);
    }
}
