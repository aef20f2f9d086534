package tml.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/**
 * {@code tmlc build --emit c} end to end: the exported C of TinyCNN and of MobileNetV2 0.35 at
 * 32x32 compiles with {@code gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2} and, run by a small
 * C main, gives the interpreter's outputs (and, for TinyCNN, exactly what {@code run --target host}
 * gives). gcc must be on the PATH: without it these tests fail.
 */
class CExportCommandTest {
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String TINY = Cli.ROOT.resolve("stdlib/models/tiny_cnn.tml").toString();
    static final String MOBILENET = Cli.ROOT.resolve("stdlib/models/mobilenet_v2.tml").toString();

    @TempDir Path dir;

    static Cli.Result tmlc(String... args) { return Cli.run(LIMIT, args); }

    @Test
    void tinyCnnCompilesWithStrictGccAndMatchesTheInterpreterAndTheHostBackend() throws Exception {
        Path out = dir.resolve("c");
        Cli.Result r = tmlc("build", TINY, "--target", "host", "-o", out.toString(), "--emit", "c");
        assertEquals(Main.OK, r.code(), r::toString);
        assertTrue(r.out().contains("wrote " + out.resolve("TinyCNN.c")), r::toString);
        String header = Files.readString(out.resolve("TinyCNN.h"));
        assertTrue(header.contains("int tinycnn_forward(const float *in0, float *out0);"), header);
        assertTrue(header.contains("int tinycnn_forward_arena(const float *in0, float *out0, void *arena);"), header);
        assertTrue(header.contains("#define TINYCNN_IN0_COUNT 784"), header);
        assertTrue(header.contains("#define TINYCNN_OUT0_COUNT 10"), header);
        assertTrue(header.contains("/* in0: image f32[1,1,28,28] */"), header);
        assertFalse(Files.exists(out.resolve("TinyCNN.weights")), "the weights are in the .c");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left behind");
        }

        float[] x = new float[784];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        Tensor input = Tensor.wrap(List.of(1, 1, 28, 28), x);
        float[] c = runC(out, "TinyCNN", "tinycnn", x, 10);
        Tensor interp = runTmlc(input, TINY);
        Tensor host = runTmlc(input, TINY, "--target", "host", "-O3");
        assertTrue(maxRelative(c, interp.data()) <= 1e-4, "C vs interpreter: " + maxRelative(c, interp.data()));
        // the host backend contracts a + b * c into fused multiply-adds; the C (strict C99) rounds
        // products and sums separately, as the loop IR is written: close, not the same bits
        assertTrue(maxRelative(c, host.data()) <= 1e-5, "C vs host: " + maxRelative(c, host.data()));
    }

    @Test
    void mobileNetV2ForACortexM4ExportsCompilesAndMatchesTheInterpreter() throws Exception {
        Path out = dir.resolve("m");
        String[] params = {"--param", "width=0.35", "--param", "resolution=32"};
        List<String> args = new ArrayList<>(List.of("build", MOBILENET, "--target", "cortex-m4", "-o", out.toString(), "--emit", "c,loop"));
        args.addAll(List.of(params));
        Cli.Result r = tmlc(args.toArray(String[]::new));
        assertEquals(Main.OK, r.code(), r::toString);
        assertTrue(Files.size(out.resolve("MobileNetV2.loop")) > 0, r::toString);
        String source = Files.readString(out.resolve("MobileNetV2.c"));
        assertFalse(source.contains("vectorize("), "a Cortex-M4 has no f32 vectors: no vectorized loops in the comments");
        assertTrue(source.contains("static const float mobilenetv2_weights[1670088] = {"), () -> source.substring(0, 3000));

        float[] x = new float[3 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i * 0.11);
        float[] c = runC(out, "MobileNetV2", "mobilenetv2", x, 1000);
        List<String> run = new ArrayList<>(List.of(params));
        Tensor interp = runTmlc(Tensor.wrap(List.of(1, 3, 32, 32), x), MOBILENET, run.toArray(String[]::new));
        assertTrue(maxRelative(c, interp.data()) <= 1e-4, "C vs interpreter: " + maxRelative(c, interp.data()));
    }

    @Test
    void usageErrorsAreClear() {
        assertUsage("--emit c cannot be combined with 'so'", "build", TINY, "--target", "host", "-o", dir.toString(), "--emit", "c,so");
        Cli.Result gpu = tmlc("build", TINY, "--target", "gpu", "-o", dir.toString(), "--emit", "c");
        assertEquals(Main.ERRORS, gpu.code(), gpu::toString);
        assertTrue(gpu.err().contains("unknown target 'gpu'"), gpu::toString);
    }

    private static void assertUsage(String message, String... args) {
        Cli.Result r = tmlc(args);
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
    }

    /** The network's output from {@code tmlc run} on one input (the interpreter unless args say otherwise). */
    private Tensor runTmlc(Tensor input, String file, String... extra) throws IOException {
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        Npy.write(input, x);
        List<String> args = new ArrayList<>(List.of("run", file, "--input", x.toString(), "--output", y.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = tmlc(args.toArray(String[]::new));
        assertEquals(Main.OK, r.code(), r::toString);
        return Npy.read(y);
    }

    /** Compiles the export in {@code out} with a main that runs it on {@code x}; returns its output. */
    private static float[] runC(Path out, String base, String prefix, float[] x, int outputs) throws IOException, InterruptedException {
        String p = prefix.toUpperCase(java.util.Locale.ROOT);
        Files.writeString(out.resolve("main.c"), """
                #include <stdio.h>
                #include "%1$s.h"
                static float x[%3$s_IN0_COUNT], y[%3$s_OUT0_COUNT];
                int main(int argc, char **argv) {
                    FILE *f;
                    if (argc != 3 || (f = fopen(argv[1], "rb")) == NULL) return 2;
                    if (fread(x, sizeof(float), (size_t)%3$s_IN0_COUNT, f) != (size_t)%3$s_IN0_COUNT) return 3;
                    fclose(f);
                    if (%2$s_forward(x, y) != 0) return 4;
                    if ((f = fopen(argv[2], "wb")) == NULL) return 5;
                    fwrite(y, sizeof(float), (size_t)%3$s_OUT0_COUNT, f);
                    return fclose(f) == 0 ? 0 : 5;
                }
                """.formatted(base, prefix, p), StandardCharsets.UTF_8);
        Path exe = out.resolve("model");
        exec(out, "gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-o", exe.toString(),
                out.resolve("main.c").toString(), out.resolve(base + ".c").toString(), "-lm");
        ByteBuffer in = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) in.putFloat(v);
        Files.write(out.resolve("x.bin"), in.array());
        exec(out, exe.toString(), out.resolve("x.bin").toString(), out.resolve("y.bin").toString());
        ByteBuffer y = ByteBuffer.wrap(Files.readAllBytes(out.resolve("y.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(outputs * 4, y.remaining(), "bytes of output");
        float[] result = new float[outputs];
        for (int i = 0; i < outputs; i++) result[i] = y.getFloat();
        return result;
    }

    private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot run " + cmd[0] + " (the C export tests need gcc on the PATH): " + e.getMessage());
            return;
        }
        byte[] output = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(300, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in time");
        }
        assertEquals(0, proc.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
    }

    /** The largest difference relative to the reference's largest magnitude. */
    private static double maxRelative(float[] got, float[] want) {
        assertEquals(want.length, got.length);
        double scale = 0, diff = 0;
        for (int i = 0; i < want.length; i++) {
            assertTrue(Float.isFinite(got[i]), "output " + i + " is " + got[i]);
            scale = Math.max(scale, Math.abs(want[i]));
            diff = Math.max(diff, Math.abs((double) got[i] - want[i]));
        }
        return diff / Math.max(scale, 1e-12);
    }
}
