package tml.backends.llvm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.LoopInterpreter;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * 200 random graphs give the interpreter's outputs (within 1e-4 relative error) when lowered,
 * memory-planned and run by the loop interpreter, and when compiled by LLVM at -O0 and -O3 into one
 * shared library per level and run natively, never touching memory past the planned arena.
 */
class RandomGraphsHostTest {
    static final int GRAPHS = 200;
    static final double TOLERANCE = 1e-4;

    record Case(long seed, Graph graph, MemoryPlan plan, float[] weights, float[][] inputs, List<float[]> expected) {}

    static final List<Case> cases = new ArrayList<>();

    @BeforeAll
    static void build() {
        HostTarget target = HostTarget.get();
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(seed);
            Map<String, Tensor> params = Weights.initialize(g, seed);
            Map<String, Tensor> in = Differential.inputs(g, seed);
            MemoryPlan plan = HostBackend.plan(g, target);
            float[] blob = WeightBlob.pack(plan.program(), Differential.arrays(params));
            cases.add(new Case(seed, g, plan, blob, Differential.inputArrays(g, in), Differential.expected(g, in, params)));
        }
    }

    private static String describe(Case c) {
        return "random graph " + c.seed + ":\n" + GraphPrinter.print(c.graph) + "\n" + LoopPrinter.print(c.plan.program());
    }

    private static void compare(Case c, float[][] got, String where) {
        for (int i = 0; i < got.length; i++) {
            double err = Differential.relativeError(got[i], c.expected.get(i));
            if (!(err <= TOLERANCE)) fail(where + ": output " + i + " differs by " + err + " (relative) from the interpreter on " + describe(c));
        }
    }

    @Test
    void plannedProgramsVerifyAndNeverOverlapLiveBuffers() {
        for (Case c : cases) {
            Program p = c.plan.program();
            assertEquals(List.of(), LoopVerifier.verify(p), () -> describe(c));
            assertEquals(List.of(), PlanMemory.check(p), () -> describe(c));
            assertTrue(c.plan.arenaBytes() >= c.plan.liveLowerBound() || c.plan.arenaBytes() == 0, () -> describe(c));
        }
    }

    @Test
    void loopInterpreterMatchesTheGraphInterpreter() {
        for (Case c : cases) {
            float[][] out = outputs(c.plan.program());
            new LoopInterpreter(c.plan.program()).run(c.inputs, c.weights, out);
            compare(c, out, "loop interpreter");
        }
    }

    @Test
    void nativeCodeMatchesAtO0() { runNative(OptLevel.O0); }

    @Test
    void nativeCodeMatchesAtO3() { runNative(OptLevel.O3); }

    private static float[][] outputs(Program p) {
        return p.outputs().stream().map(b -> new float[Math.toIntExact(b.count())]).toArray(float[][]::new);
    }

    private void runNative(OptLevel level) {
        List<Program> programs = cases.stream().map(c -> c.plan.program()).toList();
        try (HostBackend.Library lib = HostBackend.compileLibrary(programs, level).get(0)) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                try (NativeModel m = lib.library().model(c.plan.program(), lib.symbols().get(i), c.weights)) {
                    compare(c, m.run(c.inputs), "native -" + level);
                    assertTrue(m.guardIntact(), () -> "the code wrote past its planned arena of " + c.plan.arenaBytes() + " bytes: " + describe(c));
                }
            }
        }
    }
}
