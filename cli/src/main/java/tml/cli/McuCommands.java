package tml.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tml.backends.llvm.BackendException;
import tml.backends.llvm.CortexMTarget;
import tml.backends.llvm.LlvmTarget;
import tml.backends.llvm.McuBackend;
import tml.backends.llvm.McuImage;
import tml.backends.llvm.McuRunner;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.Output;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.lower.LoweringException;
import tml.optimizer.memory.MemoryPlan;
import tml.runtime.Tensor;

/**
 * The Cortex-M side of the CLI: {@code run --target cortex-m4|cortex-m7|cortex-m33} (compile, run in
 * QEMU, print the instruction count of each sample to stderr) and {@code build --target CORE}
 * (ELF image, object, assembly, LLVM IR, loop IR, weights, C header). Core names only; board names
 * resolve to a core elsewhere and call {@link #core(String)}. Failures come back as
 * {@link HostCommands.Failure}.
 */
final class McuCommands {
    private McuCommands() {}

    static final List<String> EMITS = List.of("llvm-ir", "asm", "obj", "elf", "loop");

    /** The Cortex-M target of a core name (cortex-m4, cortex-m7, cortex-m33), if it is one. */
    static Optional<CortexMTarget> core(String name) { return CortexMTarget.forName(name); }

    /** The core names, for messages listing the targets. */
    static List<String> coreNames() { return CortexMTarget.CORES.stream().map(CortexMTarget.Core::name).toList(); }

    /** The kinds of --emit for a core, checked (default: the ELF image). */
    static Set<String> emits(List<String> option, String target) throws UsageException {
        Set<String> kinds = new LinkedHashSet<>();
        for (String v : option) {
            for (String k : v.split(",")) {
                String kind = k.strip();
                if (!EMITS.contains(kind)) {
                    throw new UsageException("--emit: unknown kind '" + kind + "' for --target " + target + "; kinds: " + String.join(", ", EMITS));
                }
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) kinds.add("elf");
        return kinds;
    }

    private static Map<String, float[]> arrays(Map<String, Tensor> params) {
        Map<String, float[]> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v.data()));
        return m;
    }

    private static MemoryPlan plan(Graph g, CortexMTarget target) throws HostCommands.Failure {
        try {
            return McuBackend.plan(g, target);
        } catch (LoweringException | BackendException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
    }

    /**
     * Compiles {@code exec} for the core once and runs every sample ({@code batch} 0: the inputs are
     * one sample) in one QEMU run; prints {@code CORE (BOARD): N instructions} per sample to
     * {@code err}. Results are named and shaped like the graph's outputs (with the batch axis).
     */
    static Map<String, Tensor> run(Graph exec, Map<String, Tensor> inputs, Map<String, Tensor> params, int batch, OptLevel level,
            CortexMTarget target, PrintStream err) throws HostCommands.Failure {
        MemoryPlan plan = plan(exec, target);
        int samples = Math.max(batch, 1);
        List<McuRunner.Result> results;
        try {
            float[] blob = WeightBlob.pack(plan.program(), arrays(params));
            List<McuRunner.Job> jobs = new ArrayList<>();
            for (int b = 0; b < samples; b++) {
                float[][] in = new float[exec.inputs().size()][];
                for (int i = 0; i < in.length; i++) {
                    Tensor t = inputs.get(exec.inputs().get(i).name());
                    int per = Math.toIntExact(exec.inputs().get(i).type().numel());
                    in[i] = batch == 0 ? t.data() : Arrays.copyOfRange(t.data(), b * per, (b + 1) * per);
                }
                jobs.add(new McuRunner.Job(0, blob, in));
            }
            try (McuImage image = McuBackend.compile(List.of(plan.program()), target, level)) {
                results = McuRunner.run(image, jobs);
            }
        } catch (LoweringException | BackendException | IllegalArgumentException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        String where = target.name() + " (" + target.core().qemuMachine() + ")";
        for (int b = 0; b < samples; b++) {
            err.printf(Locale.ROOT, "%s: %s%d instructions%n", where, batch == 0 ? "" : "sample " + b + ": ", results.get(b).instructions());
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int k = 0; k < exec.outputs().size(); k++) {
            Output o = exec.outputs().get(k);
            List<Integer> shape = new ArrayList<>(exec.typeOf(o.value()).orElseThrow().shape());
            float[] data;
            if (batch == 0) {
                data = results.get(0).outputs()[k];
            } else {
                shape.add(0, batch);
                int per = results.get(0).outputs()[k].length;
                data = new float[per * batch];
                for (int b = 0; b < batch; b++) System.arraycopy(results.get(b).outputs()[k], 0, data, b * per, per);
            }
            named.put(o.name(), Tensor.wrap(shape, data));
        }
        return named;
    }

    /**
     * {@code tmlc build --target CORE -o DIR}: writes the requested files ({@code NAME.elf},
     * {@code NAME.o}, {@code NAME.s}, {@code NAME.ll}, {@code NAME.loop}), the packed weights
     * ({@code NAME.weights}) and the C header, each atomically. Returns the paths written.
     */
    static List<Path> build(Graph g, Map<String, Tensor> params, Path dir, Set<String> emits, OptLevel level, CortexMTarget target,
            PrintStream out) throws HostCommands.Failure, IOException {
        MemoryPlan plan = plan(g, target);
        Program p = plan.program();
        float[] blob;
        try {
            blob = WeightBlob.pack(p, arrays(params));
        } catch (IllegalArgumentException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        LlvmTarget.Artifacts a;
        byte[] image;
        try (McuImage img = McuBackend.compile(List.of(p), target, level, emits.contains("llvm-ir"), emits.contains("asm"))) {
            a = img.artifacts();
            image = Files.readAllBytes(img.elf());
        } catch (BackendException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        HostCommands.createOutputDirectory(dir);
        String base = HostCommands.fileName(g.name());
        List<Path> written = new ArrayList<>();
        if (emits.contains("elf")) written.add(HostCommands.write(dir.resolve(base + ".elf"), image));
        written.addAll(HostCommands.writeArtifacts(dir, base, emits, a, p, blob, HostCommands.header(g, p, base, target)));
        out.printf(Locale.ROOT, "%s for %s (%s): arena %d bytes (activations %d, scratch %d), weights %d bytes; LLVM -%s%n",
                g.name(), target.name(), target.core().qemuMachine(), plan.arenaBytes(), plan.activationBytes(), plan.scratchBytes(),
                p.weightBytes(), level);
        for (Path w : written) out.println("wrote " + w);
        return written;
    }
}
