package tml.backends.c;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.backends.llvm.Differential;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.NativeModel;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.memory.MemoryPlan;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * 50 random graphs (every op the lowering knows), exported as C, compiled by gcc with
 * {@code -std=c99 -Wall -Wextra -Werror -pedantic -O2} and run: the outputs match the graph
 * interpreter within 1e-4 relative error, and the LLVM backend's native code within 1e-5 (the C
 * mirrors its arithmetic, exp and tanh included, but does not fuse multiply-adds as LLVM does); the
 * code never writes past its arena.
 */
class CExportRandomGraphsTest {
    static final int GRAPHS = 50;

    @TempDir Path dir;

    record Case(long seed, Graph graph, Program program, float[] weights, float[][] inputs, List<float[]> expected, CModel model) {}

    @Test
    void exportedCMatchesTheInterpreterAndTheLlvmBackend() throws Exception {
        HostTarget target = HostTarget.get();
        List<Case> cases = new ArrayList<>();
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(seed);
            Map<String, Tensor> params = Weights.initialize(g, seed);
            Map<String, Tensor> in = Differential.inputs(g, seed);
            MemoryPlan plan = HostBackend.plan(g, target);
            float[] blob = WeightBlob.pack(plan.program(), Differential.arrays(params));
            CModel m = LoopToC.export(plan.program(), blob, new LoopToC.Api("g" + seed, "g" + seed, "random graph " + seed,
                    g.inputs().stream().map(i -> new LoopToC.Port(i.name(), i.type().toString())).toList(), List.of()));
            cases.add(new Case(seed, g, plan.program(), blob, Differential.inputArrays(g, in), Differential.expected(g, in, params), m));
        }
        // gcc on two threads: most of this test's time
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Path>> exes = new ArrayList<>();
        for (Case c : cases) {
            Path d = Files.createDirectory(dir.resolve("g" + c.seed));
            exes.add(pool.submit(() -> Gcc.build(c.model, c.program.inputs().size(), c.program.outputs().size(), d, Gcc.STRICT)));
        }
        pool.shutdown();
        try (HostBackend.Library lib = HostBackend.compileLibrary(cases.stream().map(Case::program).toList(), OptLevel.O0).get(0)) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                long[] counts = c.program.outputs().stream().mapToLong(b -> b.count()).toArray();
                float[][] got = Gcc.run(exes.get(i).get(), c.inputs, counts);
                float[][] llvm;
                try (NativeModel nm = lib.library().model(c.program, lib.symbols().get(i), c.weights)) {
                    llvm = nm.run(c.inputs);
                }
                for (int k = 0; k < got.length; k++) {
                    double err = Differential.relativeError(got[k], c.expected.get(k));
                    int kk = k;
                    assertTrue(err <= 1e-4, () -> "output " + kk + " differs by " + err + " from the interpreter on " + describe(c));
                    // LLVM contracts a + b * c into one fused multiply-add; the C keeps C99's separate
                    // rounding (no contraction under -std=c99), so the two agree closely, not bit for bit
                    double vsLlvm = Differential.relativeError(got[k], llvm[k]);
                    assertTrue(vsLlvm <= 1e-5, () -> "output " + kk + " differs by " + vsLlvm + " from LLVM -O0 on " + describe(c));
                }
            }
        }
    }

    private static String describe(Case c) {
        return "random graph " + c.seed + ":\n" + GraphPrinter.print(c.graph) + "\n" + LoopPrinter.print(c.program)
                + "\n" + c.model.source().substring(0, Math.min(c.model.source().length(), 20000));
    }

}
