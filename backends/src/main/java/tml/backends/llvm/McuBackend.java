package tml.backends.llvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tml.ir.graph.Graph;
import tml.ir.loop.Program;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;

/**
 * Graph to a Cortex-M image: lower for the core (one lane; f32 instead of f64 where the core has no
 * double-precision FPU), plan memory, compile any number of programs into one module and link it with
 * the runtime into an ELF that {@link McuRunner} runs in QEMU.
 */
public final class McuBackend {
    private McuBackend() {}

    /** The lowering options of a core. */
    public static LowerGraph.Options options(CortexMTarget target) {
        return new LowerGraph.Options(target.vectorWidth(), target.hardwareF64());
    }

    /** The planned loop program of a graph for a core. */
    public static MemoryPlan plan(Graph g, CortexMTarget target) {
        return PlanMemory.plan(LowerGraph.lower(g, options(target)));
    }

    /** The entry symbol of program {@code i} of {@code n} in an image: tml_forward, or tml_forward_i when there are several. */
    public static String symbol(int i, int n) { return n == 1 ? "tml_forward" : "tml_forward_" + i; }

    /** Compiles planned programs into one image (much faster to build and run than one image each). */
    public static McuImage compile(List<Program> programs, CortexMTarget target, OptLevel level) {
        return compile(programs, target, level, false, false);
    }

    /** As {@link #compile(List, CortexMTarget, OptLevel)}, keeping LLVM IR and assembly in the image's artifacts when asked. */
    public static McuImage compile(List<Program> programs, CortexMTarget target, OptLevel level, boolean wantIr, boolean wantAsm) {
        List<LlvmTarget.Entry> entries = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) entries.add(new LlvmTarget.Entry(programs.get(i), symbol(i, programs.size())));
        LlvmTarget.Artifacts a = target.compile(entries, level, wantIr, wantAsm, true);
        Path dir;
        try {
            dir = Files.createTempDirectory("tml-" + target.name());
        } catch (IOException e) {
            throw new BackendException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        Path elf = dir.resolve("image.elf");
        try {
            target.link(a.object(), elf);
        } catch (RuntimeException e) {
            HostTarget.deleteTree(dir);
            throw e;
        }
        return new McuImage(target, List.copyOf(programs), elf, dir, a);
    }
}
