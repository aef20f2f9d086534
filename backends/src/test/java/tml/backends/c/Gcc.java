package tml.backends.c;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles exported C with the system's gcc and runs it, for the tests. A generated {@code main}
 * reads the inputs (little-endian f32, one after another) from a file, runs {@code PREFIX_forward}
 * and {@code PREFIX_forward_arena} (on an arena followed by a guard zone that must stay untouched),
 * checks they agree, and writes the outputs to a file. A missing gcc fails the test: CI has one.
 */
final class Gcc {
    private Gcc() {}

    /** The strictest flags the export promises to pass. */
    static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2");

    /** Exit codes of the generated main. */
    static final int BAD_INPUT = 3, FORWARD_FAILED = 4, ARENA_OVERRUN = 5, ENTRY_POINTS_DISAGREE = 6;

    /** Writes the model and a main into {@code dir} and compiles them into {@code dir/model}. */
    static Path build(CModel m, int inputs, int outputs, Path dir, List<String> flags) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(m.headerName()), m.header(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(m.sourceName()), m.source(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("main.c"), main(m, inputs, outputs), StandardCharsets.UTF_8);
        Path exe = dir.resolve("model");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-o", exe.toString(), dir.resolve("main.c").toString(), dir.resolve(m.sourceName()).toString(), "-lm"));
        Result r = exec(cmd, dir, 300);
        if (r.code != 0) fail("gcc failed (" + r.code + ") on " + dir.resolve(m.sourceName()) + ":\n" + r.output);
        return exe;
    }

    /** Runs the compiled model on inputs; returns its outputs (element counts as given). */
    static float[][] run(Path exe, float[][] inputs, long[] outputCounts) throws IOException, InterruptedException {
        Path dir = exe.getParent();
        int total = 0;
        for (float[] in : inputs) total += in.length;
        ByteBuffer bb = ByteBuffer.allocate(total * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] in : inputs) for (float v : in) bb.putFloat(v);
        Files.write(dir.resolve("in.bin"), bb.array());
        Result r = exec(List.of(exe.toString(), dir.resolve("in.bin").toString(), dir.resolve("out.bin").toString()), dir, 120);
        String why = switch (r.code) {
            case 0 -> null;
            case BAD_INPUT -> "could not read its input";
            case FORWARD_FAILED -> "the forward function returned an error";
            case ARENA_OVERRUN -> "the code wrote past its arena";
            case ENTRY_POINTS_DISAGREE -> "PREFIX_forward and PREFIX_forward_arena gave different outputs";
            default -> "exit code " + r.code;
        };
        if (why != null) fail(exe + ": " + why + "\n" + r.output);
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("out.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        float[][] result = new float[outputCounts.length][];
        for (int i = 0; i < result.length; i++) {
            result[i] = new float[Math.toIntExact(outputCounts[i])];
            for (int j = 0; j < result[i].length; j++) result[i][j] = out.getFloat();
        }
        if (out.hasRemaining()) fail(exe + " wrote " + out.remaining() + " bytes more than the outputs");
        return result;
    }

    record Result(int code, String output) {}

    static Result exec(List<String> cmd, Path dir, int seconds) throws IOException, InterruptedException {
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot run " + cmd.get(0) + " (the C export tests need gcc on the PATH): " + e.getMessage());
            throw e;
        }
        byte[] output = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(seconds, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + seconds + " s");
        }
        return new Result(proc.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** A main that reads inputs, runs both entry points and writes the outputs. */
    static String main(CModel m, int inputs, int outputs) {
        String P = m.prefix().toUpperCase(java.util.Locale.ROOT), p = m.prefix();
        StringBuilder sb = new StringBuilder();
        sb.append("#include <stdio.h>\n#include <string.h>\n#include \"").append(m.headerName()).append("\"\n\n");
        sb.append("#define GUARD 64\n");
        sb.append("static union { float f[").append(P).append("_ARENA_BYTES / 4 + GUARD]; double d; } arena;\n");
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            sb.append("static float in").append(i).append('[').append(P).append("_IN").append(i).append("_COUNT + 1];\n");
            a.add("in" + i);
            b.add("in" + i);
        }
        for (int i = 0; i < outputs; i++) {
            sb.append("static float out").append(i).append('[').append(P).append("_OUT").append(i).append("_COUNT + 1], again")
                    .append(i).append('[').append(P).append("_OUT").append(i).append("_COUNT + 1];\n");
            a.add("out" + i);
            b.add("again" + i);
        }
        b.add("arena.f");
        sb.append("\nint main(int argc, char **argv) {\n");
        sb.append("    FILE *f;\n    int i;\n    if (argc != 3) return 2;\n");
        sb.append("    for (i = 0; i < GUARD; i++) arena.f[").append(P).append("_ARENA_BYTES / 4 + i] = 1234.5f;\n");
        sb.append("    f = fopen(argv[1], \"rb\");\n    if (f == NULL) return 3;\n");
        for (int i = 0; i < inputs; i++) {
            sb.append("    if (fread(in").append(i).append(", sizeof(float), (size_t)").append(P).append("_IN").append(i)
                    .append("_COUNT, f) != (size_t)").append(P).append("_IN").append(i).append("_COUNT) return 3;\n");
        }
        sb.append("    fclose(f);\n");
        sb.append("    if (").append(p).append("_forward(").append(String.join(", ", a)).append(") != 0) return 4;\n");
        sb.append("    if (").append(p).append("_forward_arena(").append(String.join(", ", b)).append(") != 0) return 4;\n");
        sb.append("    for (i = 0; i < GUARD; i++) if (arena.f[").append(P).append("_ARENA_BYTES / 4 + i] != 1234.5f) return 5;\n");
        for (int i = 0; i < outputs; i++) {
            sb.append("    if (memcmp(out").append(i).append(", again").append(i).append(", sizeof(float) * (size_t)").append(P).append("_OUT")
                    .append(i).append("_COUNT) != 0) return 6;\n");
        }
        sb.append("    f = fopen(argv[2], \"wb\");\n    if (f == NULL) return 7;\n");
        for (int i = 0; i < outputs; i++) {
            sb.append("    fwrite(out").append(i).append(", sizeof(float), (size_t)").append(P).append("_OUT").append(i).append("_COUNT, f);\n");
        }
        sb.append("    return fclose(f) == 0 ? 0 : 7;\n}\n");
        return sb.toString();
    }
}
