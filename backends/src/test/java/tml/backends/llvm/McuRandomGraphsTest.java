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
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.WeightBlob;
import tml.optimizer.memory.MemoryPlan;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * The 200 random graphs of {@link RandomGraphsHostTest}, lowered for the Cortex-M4 (one lane, f32
 * instead of f64), compiled at -O0 and -O3 into one image per level and run in QEMU (mps2-an386) in
 * one QEMU run per level, give the interpreter's outputs within 1e-4 relative error. Needs
 * qemu-system-arm: without it the tests fail.
 */
class McuRandomGraphsTest {
    static final int GRAPHS = RandomGraphsHostTest.GRAPHS;
    static final double TOLERANCE = 1e-4;

    record Case(long seed, Graph graph, MemoryPlan plan, float[] weights, float[][] inputs, List<float[]> expected) {}

    static final List<Case> cases = new ArrayList<>();
    static final CortexMTarget M4 = CortexMTarget.forName("cortex-m4").orElseThrow();

    @BeforeAll
    static void build() {
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(seed);
            Map<String, Tensor> params = Weights.initialize(g, seed);
            Map<String, Tensor> in = Differential.inputs(g, seed);
            MemoryPlan plan = McuBackend.plan(g, M4);
            float[] blob = WeightBlob.pack(plan.program(), Differential.arrays(params));
            cases.add(new Case(seed, g, plan, blob, Differential.inputArrays(g, in), Differential.expected(g, in, params)));
        }
    }

    @Test
    void cortexM4MatchesAtO0() { run(OptLevel.O0); }

    @Test
    void cortexM4MatchesAtO3() { run(OptLevel.O3); }

    private static void run(OptLevel level) {
        List<McuRunner.Job> jobs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) jobs.add(new McuRunner.Job(i, cases.get(i).weights, cases.get(i).inputs));
        try (McuImage image = McuBackend.compile(cases.stream().map(c -> c.plan.program()).toList(), M4, level)) {
            List<McuRunner.Result> results = McuRunner.run(image, jobs);
            assertEquals(cases.size(), results.size());
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                float[][] got = results.get(i).outputs();
                for (int k = 0; k < got.length; k++) {
                    double err = Differential.relativeError(got[k], c.expected.get(k));
                    if (!(err <= TOLERANCE)) {
                        fail("cortex-m4 -" + level + ": output " + k + " differs by " + err + " (relative) from the interpreter on random graph "
                                + c.seed + ":\n" + GraphPrinter.print(c.graph) + "\n" + LoopPrinter.print(c.plan.program()));
                    }
                }
                assertTrue(results.get(i).ticks() > 0, "a call took no time");
            }
        }
    }
}
