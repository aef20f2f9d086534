package tml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;
import tml.runtime.io.SafeTensors;

/** The command-line contract of {@code tmlc}: exit codes, one-line usage errors, JSON output, files it writes. */
class CliTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** A small network: linear_0.weight [3, 4], linear_0.bias [3]. */
    private static final String TINY = """
            network Tiny(width: int = 3) {
              input x: f32[1, 4]
              output y = x |> linear(width) |> relu
            }
            """;

    /** A small convolutional network for the IR round trip. */
    private static final String CONV = """
            /// A tiny classifier.
            network Conv(classes: int = 5) {
              input image: f32[1, 2, 8, 8]
              let x = image |> conv1: conv2d(4, kernel=3, stride=1) |> bn1: batch_norm |> relu |> max_pool2d(2)
              let y = x |> seq { conv2d(4, kernel=1, bias=false)  relu }
              output logits = (x + y) |> global_avg_pool |> flatten |> linear(classes) |> softmax
            }
            """;

    @TempDir Path dir;
    private Path tiny;

    @BeforeEach
    void setUp() throws IOException {
        tiny = write("tiny.tml", TINY);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Cli.Result tmlc(String... args) {
        Cli.Result r = Cli.run(LIMIT, args);
        assertFalse(r.timedOut(), r::toString);
        return r;
    }

    private static String s(Path p) { return p.toString(); }

    private Path npy(String name, Tensor t) {
        Path p = dir.resolve(name);
        Npy.write(t, p);
        return p;
    }

    private static Tensor random(Random rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (rnd.nextGaussian());
        return t;
    }

    // ---------------------------------------------------------------- help and usage

    @Test
    void helpAndVersion() {
        for (String h : new String[] {"help", "--help", "-h"}) {
            Cli.Result r = tmlc(h);
            assertEquals(Main.OK, r.code(), r::toString);
            assertTrue(r.out().startsWith("usage: tmlc"), r::toString);
            assertEquals("", r.err(), r::toString);
        }
        Cli.Result v = tmlc("version");
        assertEquals(Main.OK, v.code(), v::toString);
        assertTrue(v.out().startsWith("tmlc "), v::toString);
    }

    /** A usage error: exit code 2, nothing on stdout and exactly one line on stderr that contains {@code part}. */
    private static void usage(String part, String... args) {
        Cli.Result r = tmlc(args);
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), () -> "expected one line\n" + r);
        assertTrue(lines.get(0).startsWith("tmlc: error: ") && lines.get(0).contains(part), () -> "expected '" + part + "'\n" + r);
    }

    @Test
    void usageErrors() throws IOException {
        String f = s(tiny);
        usage("no command", new String[0]);
        usage("unknown command 'frobnicate'", "frobnicate", f);
        usage("'--frobnicate'", "check", "--frobnicate", f);
        usage("'-Z'", "check", "-Z", f);
        usage("'--network' needs a value", "check", f, "--network");
        usage("'--param' needs a value", "run", f, "--param");
        usage("xml", "check", "--diagnostic-format=xml", f);
        usage("xml", "check", "--diagnostic-format", "xml", f);
        usage("needs at least one file", "check");
        usage("needs a file", "run");
        usage("takes one file", "report", f, f);
        usage("needs input 'x'", "run", f);
        usage("NAME=VALUE", "run", f, "--param", "width");
        usage("NAME=VALUE", "run", f, "--param", "=3");
        usage("twice", "report", f, "--param", "width=3", "--param", "width=4");
        usage("has no input 'nope'", "run", f, "--input", "nope=" + s(dir.resolve("x.npy")));
        usage("given twice", "run", f, "--input", "x=a.npy", "--input", "x=b.npy");
        usage("takes no value", "report", f, "--json=yes");
        usage("--seed", "run", f, "--seed", "many", "--input", "x=" + s(dir.resolve("x.npy")));
        usage("--accumulate", "run", f, "--accumulate", "f16", "--input", "x=" + s(dir.resolve("x.npy")));
        usage("more than once", "report", f, "--network", "Tiny", "--network", "Tiny");
    }

    // ---------------------------------------------------------------- input errors

    /** An input error: exit code 1 and a diagnostic line about {@code path} containing each part. */
    private static Cli.Result inputError(String path, List<String> parts, String... args) {
        Cli.Result r = tmlc(args);
        Cli.assertClean(r, path);
        assertEquals(Main.ERRORS, r.code(), r::toString);
        for (String part : parts) {
            assertTrue(r.err().lines().anyMatch(l -> Cli.diagnosticLine(path).matcher(l).matches() && l.contains(": error: ") && l.contains(part)),
                    () -> "expected a '" + path + ": error:' line containing '" + part + "'\n" + r);
        }
        return r;
    }

    @Test
    void badParameterValues() {
        String f = s(tiny);
        inputError(f, List.of("no parameter 'wdth'", "did you mean 'width'"), "report", f, "--param", "wdth=3");
        inputError(f, List.of("parameter 'width'"), "report", f, "--param", "width=\"wide\"");
        Cli.Result r = tmlc("report", f, "--param", "width=(");
        assertEquals(Main.ERRORS, r.code(), r::toString);
        Cli.assertClean(r, "--param width");
    }

    @Test
    void badInputs() throws IOException {
        String f = s(tiny);
        Path wrong = npy("wrong.npy", Tensor.zeros(1, 5));
        inputError(s(wrong), List.of("[1, 5]", "[1, 4]"), "run", f, "--input", "x=" + wrong);
        Path text = write("text.npy", "this is not numpy\n");
        inputError(s(text), List.of("not a .npy file"), "run", f, "--input", "x=" + text);
        Path truncated = dir.resolve("truncated.npy");
        byte[] good = Npy.encode(Tensor.zeros(1, 4));
        Files.write(truncated, Arrays.copyOf(good, good.length - 3));
        inputError(s(truncated), List.of("truncated"), "run", f, "--input", "x=" + truncated);
        Path missing = dir.resolve("missing.npy");
        inputError(s(missing), List.of(), "run", f, "--input", "x=" + missing);
        // the file name is said once, not twice
        Cli.Result r = tmlc("run", f, "--input", "x=" + text);
        assertFalse(r.err().contains(text + ": " + text), r::toString);
    }

    @Test
    void badWeights() throws IOException {
        String f = s(tiny);
        Path x = npy("x.npy", Tensor.zeros(1, 4));
        Random rnd = new Random(3);
        Map<String, Tensor> good = new LinkedHashMap<>();
        good.put("linear_0.weight", random(rnd, 3, 4));
        good.put("linear_0.bias", random(rnd, 3));
        Path ok = dir.resolve("ok.safetensors");
        SafeTensors.write(good, ok);
        Cli.Result fine = tmlc("run", f, "--input", "x=" + x, "--weights", s(ok));
        assertEquals(Main.OK, fine.code(), fine::toString);

        Map<String, Tensor> missing = new LinkedHashMap<>(good);
        missing.remove("linear_0.bias");
        Path m = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, m);
        inputError(s(m), List.of("'linear_0.bias'", "missing"), "run", f, "--input", "x=" + x, "--weights", s(m));

        Map<String, Tensor> extra = new LinkedHashMap<>(good);
        extra.put("head.weight", random(rnd, 2, 2));
        Path e = dir.resolve("extra.safetensors");
        SafeTensors.write(extra, e);
        inputError(s(e), List.of("'head.weight'"), "run", f, "--input", "x=" + x, "--weights", s(e));

        Map<String, Tensor> shaped = new LinkedHashMap<>(good);
        shaped.put("linear_0.weight", random(rnd, 4, 3));
        Path sh = dir.resolve("shape.safetensors");
        SafeTensors.write(shaped, sh);
        inputError(s(sh), List.of("'linear_0.weight'", "[4, 3]", "[3, 4]"), "run", f, "--input", "x=" + x, "--weights", s(sh));

        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        inputError(s(junk), List.of(), "run", f, "--input", "x=" + x, "--weights", s(junk));
    }

    // ---------------------------------------------------------------- JSON diagnostics

    @Test
    void jsonDiagnostics() throws IOException {
        Path bad = write("bad.tml", """
                network N() {
                  input x: f32[1, 4]
                  let a = x |> conv9(3)
                  output y = x |> lnear(3)
                }
                """);
        Cli.Result r = tmlc("check", "--diagnostic-format=json", s(bad));
        assertEquals(Main.ERRORS, r.code(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() >= 2, r::toString);
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals(s(bad), o.get("file").getAsString(), line);
            assertEquals("error", o.get("severity").getAsString(), line);
            assertTrue(o.get("line").getAsInt() >= 3, line);
            assertTrue(o.get("column").getAsInt() >= 1, line);
            assertFalse(o.get("message").getAsString().isBlank(), line);
        }
        // an error about a whole file has no position
        Path none = dir.resolve("none.tml");
        Cli.Result n = tmlc("check", "--diagnostic-format=json", s(none));
        assertEquals(Main.ERRORS, n.code(), n::toString);
        assertEquals(1, n.err().lines().count(), n::toString);
        JsonObject o = JsonParser.parseString(n.err().strip()).getAsJsonObject();
        assertEquals(s(none), o.get("file").getAsString());
        assertEquals("error", o.get("severity").getAsString());
        assertTrue(o.get("message").getAsString().contains("no such file"), n::toString);
        assertFalse(o.has("line"), n::toString);
        // syntax errors and a clean file
        Cli.Result syntax = tmlc("check", "--diagnostic-format=json", s(write("syntax.tml", "network N( {\n")));
        assertEquals(Main.ERRORS, syntax.code(), syntax::toString);
        syntax.err().lines().forEach(l -> assertTrue(JsonParser.parseString(l).isJsonObject(), l));
        Cli.Result clean = tmlc("check", "--diagnostic-format=json", s(tiny));
        assertEquals(Main.OK, clean.code(), clean::toString);
        assertEquals("", clean.err(), clean::toString);
    }

    // ---------------------------------------------------------------- run --output

    private static float[] data(Path npy) { return Npy.read(npy).data(); }

    @Test
    void runWritesNpyAtomically() throws IOException {
        String f = s(tiny);
        Path x = npy("x.npy", Tensor.of(List.of(1, 4), 1f, -2f, 3f, -4f));
        Path y = dir.resolve("y.npy");
        Cli.Result r = tmlc("run", f, "--input", "x=" + x, "--output", s(y), "--seed", "7");
        assertEquals(Main.OK, r.code(), r::toString);
        Tensor out = Npy.read(y);
        assertEquals(List.of(1, 3), out.shape());
        for (float v : out.data()) assertTrue(v >= 0 && Float.isFinite(v), "relu output " + v);
        byte[] before = Files.readAllBytes(y);

        // --json prints the same numbers
        Cli.Result json = tmlc("run", f, "--input", "x=" + x, "--json", "--seed", "7");
        assertEquals(Main.OK, json.code(), json::toString);
        JsonObject root = JsonParser.parseString(json.out()).getAsJsonObject();
        float[] printed = new float[3];
        int i = 0;
        for (JsonElement e : root.getAsJsonObject("y").getAsJsonArray("data")) printed[i++] = e.getAsFloat();
        assertArrayEquals(out.data(), printed);

        // a failed run leaves an existing output alone
        Path wrong = npy("wrong.npy", Tensor.zeros(2, 2));
        Cli.Result failed = tmlc("run", f, "--input", "x=" + wrong, "--output", s(y));
        assertEquals(Main.ERRORS, failed.code(), failed::toString);
        assertArrayEquals(before, Files.readAllBytes(y));
        // ... and creates no output, nor leftovers, when there was none
        Path z = dir.resolve("z.npy");
        failed = tmlc("run", f, "--input", "x=" + wrong, "--output", s(z));
        assertEquals(Main.ERRORS, failed.code(), failed::toString);
        assertFalse(Files.exists(z));
        Cli.Result badWeights = tmlc("run", f, "--input", "x=" + x, "--output", s(z), "--weights", s(dir.resolve("no.safetensors")));
        assertEquals(Main.ERRORS, badWeights.code(), badWeights::toString);
        assertFalse(Files.exists(z));
        // an output that cannot be written is an error about that file
        Path nowhere = dir.resolve("no/such/dir/y.npy");
        inputError(s(nowhere), List.of("cannot write"), "run", f, "--input", "x=" + x, "--output", s(nowhere));
        Path folder = Files.createDirectories(dir.resolve("folder.npy"));
        inputError(s(folder), List.of("cannot write"), "run", f, "--input", "x=" + x, "--output", s(folder));
        try (Stream<Path> files = Files.list(dir)) {
            List<String> tmp = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp, "temporary files left behind");
        }
    }

    @Test
    void batchEqualsSampleBySample() {
        String f = s(tiny);
        Random rnd = new Random(5);
        int n = 4;
        Tensor batch = random(rnd, n, 1, 4);
        Path xs = npy("xs.npy", batch);
        Path ys = dir.resolve("ys.npy");
        Cli.Result r = tmlc("run", f, "--input", "x=" + xs, "--output", s(ys));
        assertEquals(Main.OK, r.code(), r::toString);
        Tensor stacked = Npy.read(ys);
        assertEquals(List.of(n, 1, 3), stacked.shape());
        for (int b = 0; b < n; b++) {
            Tensor sample = Tensor.of(List.of(1, 4), Arrays.copyOfRange(batch.data(), b * 4, b * 4 + 4));
            Path x = npy("x" + b + ".npy", sample);
            Path y = dir.resolve("y" + b + ".npy");
            Cli.Result one = tmlc("run", f, "--input", "x=" + x, "--output", s(y));
            assertEquals(Main.OK, one.code(), one::toString);
            assertArrayEquals(Arrays.copyOfRange(stacked.data(), b * 3, b * 3 + 3), data(y), "sample " + b);
        }
        // a leading axis that is not a batch axis is a shape error
        Path odd = npy("odd.npy", random(rnd, 2, 2, 4));
        inputError(s(odd), List.of("shape"), "run", f, "--input", "x=" + odd);
    }

    // ---------------------------------------------------------------- ir and report

    @Test
    void irRoundTrip() throws IOException {
        Path conv = write("conv.tml", CONV);
        Cli.Result printed = tmlc("ir", s(conv));
        assertEquals(Main.OK, printed.code(), printed::toString);
        assertFalse(printed.out().isBlank());
        Path tir = dir.resolve("conv.tir");
        Cli.Result written = tmlc("ir", s(conv), "-o", s(tir));
        assertEquals(Main.OK, written.code(), written::toString);
        assertEquals(printed.out(), Files.readString(tir));
        Cli.Result back = tmlc("ir", "--parse", s(tir));
        assertEquals(Main.OK, back.code(), back::toString);
        assertEquals(printed.out(), back.out());
        for (Path p : List.of(tiny)) {
            Cli.Result a = tmlc("ir", s(p));
            Path t = write(p.getFileName() + ".tir", a.out());
            Cli.Result b = tmlc("ir", "--parse", s(t));
            assertEquals(a.out(), b.out(), b::toString);
        }
        // broken IR is an input error, not a crash
        Path broken = write("broken.tir", printed.out().substring(0, printed.out().length() / 2) + "\n}{ nonsense\n");
        Cli.Result bad = tmlc("ir", "--parse", s(broken));
        assertEquals(Main.ERRORS, bad.code(), bad::toString);
        Cli.assertClean(bad, s(broken));
    }

    @Test
    void reportJson() throws IOException {
        Cli.Result r = tmlc("report", s(tiny), "--json", "--params");
        assertEquals(Main.OK, r.code(), r::toString);
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("Tiny", o.get("network").getAsString());
        assertEquals(12, o.get("macs").getAsLong());
        assertEquals(15, o.get("params").getAsLong());
        long macs = 0, params = 0;
        for (JsonElement l : o.getAsJsonArray("layers")) {
            macs += l.getAsJsonObject().get("macs").getAsLong();
            params += l.getAsJsonObject().get("params").getAsLong();
        }
        assertEquals(o.get("macs").getAsLong(), macs);
        assertEquals(o.get("params").getAsLong(), params);
        assertEquals(2, o.getAsJsonArray("paramList").size());

        Path conv = write("conv.tml", CONV);
        Cli.Result c = tmlc("report", s(conv), "--json", "--param", "classes=7");
        assertEquals(Main.OK, c.code(), c::toString);
        JsonObject co = JsonParser.parseString(c.out()).getAsJsonObject();
        assertTrue(co.get("macs").getAsLong() > 0 && co.get("params").getAsLong() > 0, c::toString);
        // a report of a broken file is diagnostics only
        Cli.Result bad = tmlc("report", s(write("bad.tml", "network N() {\n  input x: f32[1, 4]\n  output y = x |> nope\n}\n")), "--json");
        assertEquals(Main.ERRORS, bad.code(), bad::toString);
        assertEquals("", bad.out(), bad::toString);
    }
}
