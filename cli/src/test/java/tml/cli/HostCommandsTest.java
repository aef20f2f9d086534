package tml.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.ir.loop.LoopParser;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/** {@code run --target host}, {@code build --target host} and {@code ir --level loop} end to end. */
class HostCommandsTest {
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String TINY = Cli.ROOT.resolve("stdlib/models/tiny_cnn.tml").toString();

    @TempDir Path dir;

    static Cli.Result tmlc(String... args) { return Cli.run(LIMIT, args); }

    @Test
    void runOnTheHostMatchesTheInterpreterSampleBySample() throws Exception {
        Path x = dir.resolve("x.npy");
        float[] data = new float[2 * 784];
        for (int i = 0; i < data.length; i++) data[i] = (float) Math.sin(i * 0.37);
        Npy.write(Tensor.wrap(List.of(2, 1, 1, 28, 28), data), x);
        Path host = dir.resolve("host.npy"), interp = dir.resolve("interp.npy");
        for (String level : List.of("-O0", "-O3")) {
            Cli.Result r = tmlc("run", TINY, "--input", x.toString(), "--target", "host", level, "--output", host.toString());
            assertEquals(Main.OK, r.code(), r::toString);
            Cli.Result i = tmlc("run", TINY, "--input", x.toString(), "--output", interp.toString());
            assertEquals(Main.OK, i.code(), i::toString);
            Tensor a = Npy.read(host), b = Npy.read(interp);
            assertEquals(List.of(2, 1, 10), a.shape());
            assertEquals(b.shape(), a.shape());
            assertTrue(a.maxAbsDifference(b) <= 1e-5, "host " + level + " differs by " + a.maxAbsDifference(b));
        }
    }

    @Test
    void buildWritesTheRequestedFilesAndIrPrintsParsableLoopIr() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = tmlc("build", TINY, "--target", "host", "-o", out.toString(), "--emit", "llvm-ir,asm,obj,so,loop");
        assertEquals(Main.OK, r.code(), r::toString);
        for (String f : List.of("libTinyCNN.so", "TinyCNN.o", "TinyCNN.s", "TinyCNN.ll", "TinyCNN.loop", "TinyCNN.weights", "TinyCNN.h")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " missing: " + r);
        }
        assertTrue(Files.readString(out.resolve("TinyCNN.h")).contains("void tml_forward(const float *in0, float *out0, const float *weights, uint8_t *arena);"));
        assertTrue(Files.readString(out.resolve("TinyCNN.ll")).contains("define void @tml_forward("));
        LoopParser.parse(Files.readString(out.resolve("TinyCNN.loop")), "TinyCNN.loop");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left behind");
        }

        Cli.Result ir = tmlc("ir", TINY, "--level", "loop", "-O3");
        assertEquals(Main.OK, ir.code(), ir::toString);
        assertTrue(ir.out().startsWith("// memory plan: arena "), ir::toString);
        assertTrue(ir.out().contains("vectorize("), ir::toString);
        LoopParser.parse(ir.out(), "stdout");
    }

    @Test
    void usageErrorsAreClear() throws IOException {
        assertUsage("unknown target 'gpu' for run; available: interp, host", "run", TINY, "--target", "gpu");
        assertUsage("'tmlc build' of a network needs --target (host, a core or a board)", "build", TINY, "-o", dir.toString());
        assertUsage("'tmlc build' needs -o DIR", "build", TINY, "--target", "host");
        assertUsage("--emit: unknown kind 'elf'", "build", TINY, "--target", "host", "-o", dir.toString(), "--emit", "so,elf");
        assertUsage("--level must be graph or loop, got 'asm'", "ir", TINY, "--level", "asm");
        Cli.Result r = tmlc("build", TINY, "--target", "host", "-o", dir.resolve("no/such/dir").toString());
        assertEquals(Main.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("does not exist"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    private static void assertUsage(String message, String... args) {
        Cli.Result r = tmlc(args);
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
    }
}
