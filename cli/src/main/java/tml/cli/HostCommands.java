package tml.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tml.backends.llvm.BackendException;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.LlvmTarget;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.ir.loop.Buffer;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.lower.LoweringException;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;
import tml.runtime.Tensor;

/**
 * The native side of the CLI: {@code run --target host}, {@code build --target host} and
 * {@code ir --level loop}. User errors (an unsupported op or type, a tool that cannot run) come back
 * as {@link HostCommands.Failure} with a message; the caller prints it and exits 1.
 */
final class HostCommands {
    private HostCommands() {}

    /** A user-facing failure of native compilation. */
    static final class Failure extends Exception {
        Failure(String message) { super(message); }
    }

    static final List<String> EMITS = List.of("llvm-ir", "asm", "obj", "so", "loop", "c");

    /** The LLVM level of -O0..-O3 (default -O3). */
    static OptLevel llvmLevel(List<String> levels) {
        return levels.isEmpty() ? OptLevel.O3 : OptLevel.parse("O" + levels.get(0));
    }

    private static Map<String, float[]> arrays(Map<String, Tensor> params) {
        Map<String, float[]> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v.data()));
        return m;
    }

    /** The planned loop program of a graph for a target ("host" asks LLVM for the vector width; Cortex-M cores plan as McuBackend does). */
    static MemoryPlan plan(Graph g, String target) throws Failure {
        try {
            var mcu = McuCommands.core(target);
            if (mcu.isPresent()) return tml.backends.llvm.McuBackend.plan(g, mcu.get());
            int width = target.equals("host") ? HostTarget.get().vectorWidth() : LowerGraph.Options.DEFAULT.vectorWidth();
            return PlanMemory.plan(LowerGraph.lower(g, new LowerGraph.Options(width)));
        } catch (LoweringException | BackendException e) {
            throw new Failure(e.getMessage());
        }
    }

    /** {@code tmlc ir --level loop}: the planned loop program, with the memory plan as a comment. */
    static String loopText(Graph g, String target) throws Failure {
        MemoryPlan plan = plan(g, target);
        return String.format(Locale.ROOT, "// memory plan: arena %d bytes (activations %d, scratch %d); lower bounds: live %d, largest layer %d%n",
                plan.arenaBytes(), plan.activationBytes(), plan.scratchBytes(), plan.liveLowerBound(), plan.pairLowerBound())
                + LoopPrinter.print(plan.program());
    }

    /**
     * Compiles {@code exec} (the optimized graph) for the host once and runs it on each sample
     * ({@code batch} 0: the inputs are one sample). Results are named and shaped like the outputs of
     * {@code original}.
     */
    static Map<String, Tensor> run(Graph exec, Map<String, Tensor> inputs, Map<String, Tensor> params, int batch, OptLevel level)
            throws Failure {
        HostBackend.Compiled compiled;
        try {
            compiled = HostBackend.compile(exec, arrays(params), level);
        } catch (LoweringException | BackendException | IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        try (compiled) {
            int samples = Math.max(batch, 1);
            List<List<float[]>> perOutput = new ArrayList<>();
            for (int k = 0; k < exec.outputs().size(); k++) perOutput.add(new ArrayList<>());
            for (int b = 0; b < samples; b++) {
                float[][] in = new float[exec.inputs().size()][];
                for (int i = 0; i < in.length; i++) {
                    Tensor t = inputs.get(exec.inputs().get(i).name());
                    int per = Math.toIntExact(exec.inputs().get(i).type().numel());
                    in[i] = batch == 0 ? t.data() : Arrays.copyOfRange(t.data(), b * per, (b + 1) * per);
                }
                float[][] out = compiled.run(in);
                for (int k = 0; k < out.length; k++) perOutput.get(k).add(out[k]);
            }
            Map<String, Tensor> results = new LinkedHashMap<>();
            for (int k = 0; k < exec.outputs().size(); k++) {
                Output o = exec.outputs().get(k);
                List<Integer> shape = new ArrayList<>(exec.typeOf(o.value()).orElseThrow().shape());
                List<float[]> parts = perOutput.get(k);
                float[] data;
                if (batch == 0) {
                    data = parts.get(0);
                } else {
                    shape.add(0, batch);
                    int per = parts.get(0).length;
                    data = new float[per * batch];
                    for (int b = 0; b < batch; b++) System.arraycopy(parts.get(b), 0, data, b * per, per);
                }
                results.put(o.name(), Tensor.wrap(shape, data));
            }
            return results;
        }
    }

    /** The kinds of --emit, checked. */
    static Set<String> emits(List<String> option) throws UsageException {
        Set<String> kinds = new LinkedHashSet<>();
        for (String v : option) {
            for (String k : v.split(",")) {
                String kind = k.strip();
                if (!EMITS.contains(kind)) {
                    throw new UsageException("--emit: unknown kind '" + kind + "' for a network; kinds: " + String.join(", ", EMITS));
                }
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) kinds.add("so");
        return kinds;
    }

    /**
     * {@code tmlc build --target host -o DIR}: writes the requested files, the packed weights
     * ({@code NAME.weights}, little-endian f32 in the layout the code reads) and a C header
     * describing {@code tml_forward}, each atomically. Returns the paths written.
     */
    static List<Path> build(Graph g, Map<String, Tensor> params, Path dir, Set<String> emits, OptLevel level, PrintStream out)
            throws Failure, IOException {
        MemoryPlan plan = plan(g, "host");
        Program p = plan.program();
        float[] blob;
        try {
            blob = WeightBlob.pack(p, arrays(params));
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        HostTarget target = HostTarget.get();
        boolean so = emits.contains("so");
        LlvmTarget.Artifacts a;
        try {
            a = target.compile(List.of(new LlvmTarget.Entry(p, "tml_forward")), level, emits.contains("llvm-ir"), emits.contains("asm"),
                    so || emits.contains("obj"));
        } catch (BackendException e) {
            throw new Failure(e.getMessage());
        }
        createOutputDirectory(dir);
        String base = fileName(g.name());
        List<Path> written = new ArrayList<>();
        if (so) {
            Path tmp = Files.createTempDirectory("tml-build");
            try {
                Path lib = tmp.resolve("lib.so");
                try {
                    target.link(a.object(), lib);
                } catch (BackendException e) {
                    throw new Failure(e.getMessage());
                }
                written.add(write(dir.resolve("lib" + base + ".so"), Files.readAllBytes(lib)));
            } finally {
                try (var walk = Files.walk(tmp)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                }
            }
        }
        written.addAll(writeArtifacts(dir, base, emits, a, p, blob, header(g, p, base, target)));
        out.printf(Locale.ROOT, "%s: arena %d bytes (activations %d, scratch %d), weights %d bytes; LLVM -%s in %d ms%n",
                g.name(), plan.arenaBytes(), plan.activationBytes(), plan.scratchBytes(), p.weightBytes(), level, a.millis());
        for (Path w : written) out.println("wrote " + w);
        return written;
    }

    /** Creates {@code dir} (not its parents: a missing parent is more likely a typo than a wish). */
    static void createOutputDirectory(Path dir) throws Failure, IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new Failure("directory " + parent + " does not exist");
        Files.createDirectories(dir);
    }

    /**
     * The files every LLVM build writes besides its linked output: the requested object, assembly,
     * LLVM IR and loop IR, then the packed weights (little-endian f32) and the C header, each atomically.
     */
    static List<Path> writeArtifacts(Path dir, String base, Set<String> emits, LlvmTarget.Artifacts a, Program p, float[] blob, String header)
            throws IOException {
        List<Path> written = new ArrayList<>();
        if (emits.contains("obj")) written.add(write(dir.resolve(base + ".o"), a.object()));
        if (emits.contains("asm")) written.add(write(dir.resolve(base + ".s"), a.assembly().getBytes(StandardCharsets.UTF_8)));
        if (emits.contains("llvm-ir")) written.add(write(dir.resolve(base + ".ll"), a.llvmIr().getBytes(StandardCharsets.UTF_8)));
        if (emits.contains("loop")) written.add(write(dir.resolve(base + ".loop"), LoopPrinter.print(p).getBytes(StandardCharsets.UTF_8)));
        ByteBuffer bytes = ByteBuffer.allocate(blob.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(blob);
        written.add(write(dir.resolve(base + ".weights"), bytes.array()));
        written.add(write(dir.resolve(base + ".h"), header.getBytes(StandardCharsets.UTF_8)));
        return written;
    }

    static Path write(Path file, byte[] data) throws IOException {
        AtomicFiles.write(file, data);
        return file;
    }

    /** A file name from a network name: letters, digits, '_' and '.' kept, the rest '_'. */
    static String fileName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        return sb.isEmpty() ? "network" : sb.toString();
    }

    static String header(Graph g, Program p, String base, LlvmTarget target) {
        String macro = base.toUpperCase(Locale.ROOT).replace('.', '_');
        StringBuilder sb = new StringBuilder();
        sb.append("/* Generated by tmlc for network ").append(g.name()).append(" (").append(target.triple()).append(", ")
                .append(target.cpu()).append(").\n");
        sb.append(" * Call tml_forward with each input, each output, the contents of ").append(base)
                .append(".weights and an arena of\n * ").append(macro).append("_ARENA_BYTES bytes (16-byte aligned). Arrays must not overlap. */\n");
        sb.append("#ifndef ").append(macro).append("_H\n#define ").append(macro).append("_H\n#include <stdint.h>\n\n");
        sb.append("#define ").append(macro).append("_ARENA_BYTES ").append(p.arenaBytes()).append("u\n");
        sb.append("#define ").append(macro).append("_WEIGHT_BYTES ").append(p.weightBytes()).append("u\n");
        List<String> params = new ArrayList<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            Input in = g.inputs().get(i);
            sb.append("/* input ").append(i).append(": ").append(in.name()).append(" ").append(in.type()).append(" */\n");
            params.add("const float *in" + i);
        }
        List<Buffer> outs = p.outputs();
        for (int i = 0; i < g.outputs().size(); i++) {
            Output o = g.outputs().get(i);
            sb.append("/* output ").append(i).append(": ").append(o.name()).append(" ").append(g.typeOf(o.value()).orElseThrow())
                    .append(" (").append(outs.get(i).count()).append(" floats) */\n");
            params.add("float *out" + i);
        }
        params.add("const float *weights");
        params.add("uint8_t *arena");
        sb.append("\nvoid tml_forward(").append(String.join(", ", params)).append(");\n");
        sb.append("extern const int64_t tml_forward_arena_bytes, tml_forward_weight_bytes;\n\n#endif\n");
        return sb.toString();
    }
}
