package tml.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphParser;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.IrParseException;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.gen.RandomGraphs;

/**
 * 200 random graphs (fixed seeds) at every optimization level and through every pass alone: the
 * verifier accepts each result (the pass manager checks after every pass), the text round-trips, and
 * the interpreter gives the same outputs within 1e-4 relative error.
 */
class RandomGraphsDifferentialTest {
    static final int GRAPHS = 200;

    @Test
    void everyLevelKeepsTheOutputs() throws IrParseException {
        Map<String, Integer> fired = new HashMap<>();
        int before = 0, after = 0;
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(seed, RandomGraphs.Options.defaults().withNodes(4, 16));
            Model m = Model.initialized(g, seed);
            for (int level = 0; level <= 3; level++) {
                Model out = PassManager.forLevel(level, level == 3 ? "host" : "interp").run(m);
                OptimizerTesting.assertSameOutputs(m, out, seed);
                String text = GraphPrinter.print(out.graph());
                assertEquals(out.graph(), GraphParser.parse(text, "seed" + seed + ".tir"), text);
                if (level == 3) {
                    before += g.nodes().size();
                    after += out.graph().nodes().size();
                    for (Node n : out.graph().nodes()) {
                        if (n.op() instanceof Op.Conv2d c && !c.fusion().isNone()) count(fired, c.fusion());
                        if (n.op() instanceof Op.Linear l && !l.fusion().isNone()) count(fired, l.fusion());
                    }
                }
            }
        }
        // The generator makes enough fusable patterns for each fused kernel to be exercised.
        assertTrue(fired.getOrDefault("activation", 0) >= 5, fired.toString());
        assertTrue(fired.getOrDefault("epilogue-operand", 0) >= 3, fired.toString());
        assertTrue(fired.getOrDefault("epilogue-scalar", 0) >= 5, fired.toString());
        assertTrue(after < before, before + " -> " + after);
    }

    @Test
    void largerGraphsAtLevelThree() {
        Map<String, Integer> fired = new HashMap<>();
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(5000 + seed, RandomGraphs.Options.defaults().withNodes(16, 40));
            Model m = Model.initialized(g, seed);
            Model out = PassManager.forLevel(3, "host").run(m);
            OptimizerTesting.assertSameOutputs(m, out, seed);
            for (Node n : out.graph().nodes()) {
                if (n.op() instanceof Op.Conv2d c && !c.fusion().isNone()) count(fired, c.fusion());
                if (n.op() instanceof Op.Linear l && !l.fusion().isNone()) count(fired, l.fusion());
            }
        }
        System.out.println("fusions in 200 larger random graphs at -O3: " + fired);
        assertTrue(fired.getOrDefault("activation", 0) >= 20, fired.toString());
        assertTrue(fired.getOrDefault("epilogue-operand", 0) >= 10, fired.toString());
        assertTrue(fired.getOrDefault("epilogue-scalar", 0) >= 10, fired.toString());
    }

    private static void count(Map<String, Integer> fired, Op.Fusion f) {
        if (f.activation().isPresent()) fired.merge("activation", 1, Integer::sum);
        f.epilogue().ifPresent(e -> fired.merge(e instanceof Op.Epilogue.WithOperand ? "epilogue-operand" : "epilogue-scalar", 1, Integer::sum));
    }

    @Test
    void everyPassAloneKeepsTheOutputs() {
        for (String name : Passes.names()) {
            for (long seed = 0; seed < GRAPHS; seed++) {
                Graph g = RandomGraphs.random(1000 + seed, RandomGraphs.Options.defaults().withNodes(4, 16));
                Model m = Model.initialized(g, seed);
                Model out = PassManager.fromNames(name, "host").run(m);
                OptimizerTesting.assertSameOutputs(m, out, seed);
            }
        }
    }

    @Test
    void passesAreIdempotentAtTheirFixedPoint() {
        for (long seed = 0; seed < GRAPHS; seed++) {
            Model m = Model.initialized(RandomGraphs.random(seed), seed);
            Model once = PassManager.forLevel(3, "host").run(m);
            Model twice = PassManager.forLevel(3, "host").run(once);
            assertEquals(GraphPrinter.print(once.graph()), GraphPrinter.print(twice.graph()), "seed " + seed);
        }
    }
}
