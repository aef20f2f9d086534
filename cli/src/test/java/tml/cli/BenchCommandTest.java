package tml.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/** {@code tmlc bench}: the report's shape (not its timings), JSON, inputs, and its usage errors. */
class BenchCommandTest {
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String TINY = Cli.ROOT.resolve("stdlib/models/tiny_cnn.tml").toString();

    @TempDir Path dir;

    static Cli.Result tmlc(String... args) { return Cli.run(LIMIT, args); }

    @Test
    void reportsMedianAndMinimumOfTheTimedRuns() throws Exception {
        Cli.Result r = tmlc("bench", TINY, "--target", "host", "--runs", "3", "--warmup", "2", "-O1");
        assertEquals(Main.OK, r.code(), r::toString);
        assertTrue(r.out().matches("TinyCNN on host \\([\\w.-]+, [\\w.-]+\\): compiled in \\d+ ms \\(-O1\\); "
                + "3 runs after 2 warm-up: median \\d+\\.\\d{3} ms, min \\d+\\.\\d{3} ms\\R"), r::toString);
        assertEquals("", r.err(), r::toString);

        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.wrap(List.of(1, 1, 28, 28), new float[784]), x);
        Cli.Result j = tmlc("bench", TINY, "--runs", "4", "--json", "--input", x.toString(), "--param", "classes=5");
        assertEquals(Main.OK, j.code(), j::toString);
        JsonObject o = JsonParser.parseString(j.out()).getAsJsonObject();
        assertEquals("TinyCNN", o.get("network").getAsString());
        assertEquals(4, o.get("runs").getAsInt());
        assertEquals(BenchCommand.DEFAULT_WARMUP, o.get("warmup").getAsInt());
        assertEquals(3, o.get("opt_level").getAsInt());
        double min = o.get("min_ms").getAsDouble(), median = o.get("median_ms").getAsDouble(), max = o.get("max_ms").getAsDouble();
        assertTrue(0 < min && min <= median && median <= max, j::toString);
    }

    @Test
    void profileTimesEveryKernelInsideTheRuns() {
        Cli.Result r = tmlc("bench", TINY, "--runs", "20", "--warmup", "2", "--profile");
        assertEquals(Main.OK, r.code(), r::toString);
        String[] lines = r.out().split("\\R");
        assertTrue(lines[0].startsWith("TinyCNN on host"), r::toString);
        assertTrue(lines[1].matches("\\s*mean ms\\s+share\\s+cumul\\.\\s+kernel\\s+op"), r::toString);
        double previous = Double.MAX_VALUE, cumulative = 0;
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            double ms = Double.parseDouble(f[0]), share = Double.parseDouble(f[1].replace("%", ""));
            assertTrue(ms <= previous, "slowest first: " + r.out());
            previous = ms;
            cumulative += share;
            assertEquals(cumulative, Double.parseDouble(f[2].replace("%", "")), 0.15, r::toString);
        }
        assertTrue(lines.length > 4, "a row per kernel: " + r.out());
        // the kernels are inside the whole call, so their shares add up to at most all of it
        assertTrue(cumulative > 30 && cumulative <= 100.2, r::toString);

        Cli.Result j = tmlc("bench", TINY, "--runs", "5", "--profile", "--json");
        assertEquals(Main.OK, j.code(), j::toString);
        JsonObject o = JsonParser.parseString(j.out()).getAsJsonObject();
        var kernels = o.getAsJsonArray("kernels");
        assertEquals(lines.length - 2, kernels.size(), j::toString);
        double shares = 0;
        for (var k : kernels) {
            JsonObject row = k.getAsJsonObject();
            assertTrue(row.get("mean_ms").getAsDouble() >= 0 && !row.get("kernel").getAsString().isEmpty() && !row.get("op").getAsString().isEmpty(), j::toString);
            shares += row.get("share").getAsDouble();
        }
        assertTrue(shares > 0.3 && shares <= 1.0 + 1e-9, j::toString);
        // without --profile there is no per-kernel report
        Cli.Result plain = tmlc("bench", TINY, "--runs", "2", "--json");
        assertTrue(!JsonParser.parseString(plain.out()).getAsJsonObject().has("kernels"), plain::toString);
    }

    @Test
    void statisticsOfTheRuns() {
        BenchCommand.Stats odd = BenchCommand.Stats.of(new long[] {5_000_000, 1_000_000, 3_000_000});
        assertEquals(new BenchCommand.Stats(3.0, 1.0, 3.0, 5.0), odd);
        BenchCommand.Stats even = BenchCommand.Stats.of(new long[] {4_000_000, 1_000_000, 2_000_000, 3_000_000});
        assertEquals(2.5, even.medianMs());
        assertEquals(1.0, even.minMs());
    }

    @Test
    void badInputsAreErrorsAndBadFlagsUsageErrors() throws Exception {
        assertUsage("--runs must be between 1 and 1000000, got 0", "bench", TINY, "--runs", "0");
        assertUsage("--runs needs a whole number, got 'abc'", "bench", TINY, "--runs", "abc");
        assertUsage("--warmup must be between 0 and 1000000, got -1", "bench", TINY, "--warmup", "-1");
        assertUsage("unknown target 'cortex-m4' for bench; available: host", "bench", TINY, "--target", "cortex-m4");
        assertUsage("-O needs a level: -O0, -O1, -O2 or -O3, got '-O5'", "bench", TINY, "-O5");
        assertUsage("unknown option '--shots' for 'tmlc bench'", "bench", TINY, "--shots", "3");
        assertUsage("'tmlc bench' needs a file", "bench");
        assertUsage("network 'TinyCNN' has no input 'pixels'", "bench", TINY, "--input", "pixels=" + dir.resolve("x.npy"));

        Path x = dir.resolve("wrong.npy");
        Npy.write(Tensor.wrap(List.of(1, 28, 28), new float[784]), x);
        Cli.Result r = tmlc("bench", TINY, "--input", x.toString());
        assertEquals(Main.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("input 'image' has shape [1, 28, 28] but the network expects [1, 1, 28, 28]"), r::toString);
        Cli.assertClean(r, x.toString());
    }

    private static void assertUsage(String message, String... args) {
        Cli.Result r = tmlc(args);
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
    }
}
