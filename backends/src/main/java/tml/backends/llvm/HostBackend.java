package tml.backends.llvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tml.ir.graph.Graph;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;

/**
 * Graph to running native code on this machine: lower ({@link LowerGraph}), plan memory
 * ({@link PlanMemory}), generate and optimize LLVM IR, emit an object for the host CPU, link it with
 * lld into a shared library and load it with the foreign function API.
 */
public final class HostBackend {
    private HostBackend() {}

    /** The planned loop program of a graph, with the host's vector width in its annotations. */
    public static MemoryPlan plan(Graph g, LlvmTarget target) {
        Program p = LowerGraph.lower(g, new LowerGraph.Options(target.vectorWidth()));
        return PlanMemory.plan(p);
    }

    /** A compiled graph ready to run, with the library it lives in; close it to free both. */
    public record Compiled(MemoryPlan plan, NativeModel model, NativeModel.Library library, Path directory, long compileMillis)
            implements AutoCloseable {
        public float[][] run(float[]... inputs) { return model.run(inputs); }

        @Override public void close() {
            model.close();
            library.close();
            HostTarget.deleteTree(directory);
        }
    }

    /** Compiles and loads one graph with its parameters (by name). */
    public static Compiled compile(Graph g, Map<String, float[]> params, OptLevel level) { return compile(g, params, level, false); }

    /**
     * Compiles and loads one graph; with {@code profiled}, the code also counts the cycles of each
     * kernel ({@link NativeModel#profileCycles()}).
     */
    public static Compiled compile(Graph g, Map<String, float[]> params, OptLevel level, boolean profiled) {
        long t0 = System.nanoTime();
        HostTarget target = HostTarget.get();
        MemoryPlan plan = plan(g, target);
        float[] blob = WeightBlob.pack(plan.program(), params);
        List<Library> libs = compileLibrary(List.of(plan.program()), level, profiled);
        Library lib = libs.get(0);
        NativeModel model = lib.library.model(plan.program(), lib.symbols.get(0), blob);
        return new Compiled(plan, model, lib.library, lib.directory, (System.nanoTime() - t0) / 1_000_000);
    }

    /** One shared library holding several programs, exported as {@code symbols} (tml_forward_0, ...). */
    public record Library(NativeModel.Library library, List<String> symbols, Path directory) implements AutoCloseable {
        @Override public void close() {
            library.close();
            HostTarget.deleteTree(directory);
        }
    }

    /** Compiles several planned programs into one shared library (much faster than one library each). */
    public static List<Library> compileLibrary(List<Program> programs, OptLevel level) { return compileLibrary(programs, level, false); }

    /** As {@link #compileLibrary(List, OptLevel)}, with per-kernel cycle counters when {@code profiled}. */
    public static List<Library> compileLibrary(List<Program> programs, OptLevel level, boolean profiled) {
        HostTarget target = HostTarget.get();
        List<LlvmTarget.Entry> entries = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            String sym = programs.size() == 1 ? "tml_forward" : "tml_forward_" + i;
            symbols.add(sym);
            entries.add(new LlvmTarget.Entry(programs.get(i), sym, profiled));
        }
        LlvmTarget.Artifacts a = target.compile(entries, level, false, false, true);
        if (Boolean.getBoolean("tml.llvm.timing")) {
            System.err.printf("llvm: build %d ms, optimize %d ms, emit %d ms%n", a.buildMillis(), a.optimizeMillis(), a.emitMillis());
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("tml-host");
        } catch (IOException e) {
            throw new BackendException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        Path so = dir.resolve("libtml.so");
        long t0 = System.nanoTime();
        target.link(a.object(), so);
        if (Boolean.getBoolean("tml.llvm.timing")) System.err.printf("lld: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return List.of(new Library(NativeModel.Library.load(so), symbols, dir));
    }
}
