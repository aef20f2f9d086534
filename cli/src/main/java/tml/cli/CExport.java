package tml.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tml.backends.c.CModel;
import tml.backends.c.LoopToC;
import tml.backends.llvm.BackendException;
import tml.backends.llvm.CortexMTarget;
import tml.backends.llvm.HostTarget;
import tml.ir.graph.Graph;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.lower.LoweringException;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;
import tml.runtime.Tensor;

/**
 * {@code tmlc build FILE --target T -o DIR --emit c[,loop]}: the network as portable C99
 * ({@code NAME.c} with the weights as const arrays, {@code NAME.h} with the API), written
 * atomically. The target only sets the vector width the lowering writes in loop annotations (the C
 * is the same code for every target, apart from those comments).
 */
final class CExport {
    private CExport() {}

    static final List<String> TARGETS = List.of("host", "cortex-m4", "cortex-m7", "cortex-m33");

    /** Whether --emit asks for C; C goes with nothing but the loop IR (its header would clash with the native one). */
    static boolean requested(List<String> emitOption) throws UsageException {
        boolean c = emitOption.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).anyMatch(k -> k.strip().equals("c"));
        if (!c) return false;
        for (String k : HostCommands.emits(emitOption)) {
            if (!k.equals("c") && !k.equals("loop")) {
                throw new UsageException("--emit c cannot be combined with '" + k + "' (both write NAME.h); build them separately");
            }
        }
        return true;
    }

    /** The target's f32 vector width, as the LLVM backend would use it. */
    private static int vectorWidth(String target) throws HostCommands.Failure {
        try {
            if (target.equals("host")) return HostTarget.get().vectorWidth();
            return CortexMTarget.forName(target).orElseThrow(() -> new HostCommands.Failure("unknown target " + target)).vectorWidth();
        } catch (BackendException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
    }

    /** Lowers, plans and exports {@code g}; writes NAME.c, NAME.h (and NAME.loop if asked) into dir; returns the paths. */
    static List<Path> write(Graph g, Map<String, Tensor> params, String target, String file, Path dir, Set<String> emits, PrintStream out)
            throws HostCommands.Failure, IOException {
        long t0 = System.nanoTime();
        int width = vectorWidth(target);
        MemoryPlan plan;
        try {
            plan = PlanMemory.plan(LowerGraph.lower(g, new LowerGraph.Options(width)));
        } catch (LoweringException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        Program p = plan.program();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        params.forEach((k, v) -> arrays.put(k, v.data()));
        CModel m;
        try {
            float[] blob = WeightBlob.pack(p, arrays);
            String base = HostCommands.fileName(g.name());
            String origin = g.name() + " from " + Path.of(file).getFileName() + ", exported as C by tmlc (loop IR for " + target
                    + ", vector width " + width + ")";
            m = LoopToC.export(p, blob, new LoopToC.Api(base.toLowerCase(Locale.ROOT), base, origin,
                    g.inputs().stream().map(i -> new LoopToC.Port(i.name(), i.type().toString())).toList(),
                    g.outputs().stream().map(o -> new LoopToC.Port(o.name(), g.typeOf(o.value()).orElseThrow().toString())).toList()));
        } catch (IllegalArgumentException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        HostCommands.createOutputDirectory(dir);
        List<Path> written = new ArrayList<>();
        written.add(write(dir.resolve(m.sourceName()), m.source()));
        written.add(write(dir.resolve(m.headerName()), m.header()));
        if (emits.contains("loop")) written.add(write(dir.resolve(HostCommands.fileName(g.name()) + ".loop"), LoopPrinter.print(p)));
        out.printf(Locale.ROOT, "%s: arena %d bytes (activations %d, scratch %d), weights %d bytes; C for %s in %d ms (API: %s_forward in %s)%n",
                g.name(), plan.arenaBytes(), plan.activationBytes(), plan.scratchBytes(), p.weightBytes(), target, millis, m.prefix(), m.headerName());
        for (Path w : written) out.println("wrote " + w);
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
