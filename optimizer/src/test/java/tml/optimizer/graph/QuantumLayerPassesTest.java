package tml.optimizer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.gen.RandomGraphs;
import tml.optimizer.Model;
import tml.optimizer.OptimizerTesting;
import tml.optimizer.PassManager;
import tml.optimizer.Passes;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.lower.LoweringException;

/**
 * Graph passes leave {@code quantum} layers (circuits as layers) alone: nothing fuses into them or
 * folds them away except as exact rewrites (common-subexpression and dead-code elimination), and
 * the interpreter gives the same outputs after every level and every pass. Lowering refuses them.
 */
class QuantumLayerPassesTest {
    private static final String CIRCUIT = "circuit c qubits 2 inputs 3 params a, b { ry(x[0]) q[0] rx(x[1]) q[1] rz(x[2] + a) q[0] cx q[0], q[1] ry(b) q[1] }";

    private static final String TWICE = """
            graph @g {
              input %x : f32[2,3]
              param @w : f32[2] = uniform(3.141592653589793)
              %q1 = quantum(%x, @w) {circuit = "CIRCUIT"} : f32[2,2]
              %q2 = quantum(%x, @w) {circuit = "CIRCUIT"} : f32[2,2]
              %dead = quantum(%x, @w) {circuit = "CIRCUIT"} : f32[2,2]
              %s = add(%q1, %q2) : f32[2,2]
              %r = relu(%s) : f32[2,2]
              output %y = %r
            }
            """.replace("CIRCUIT", CIRCUIT);

    @Test
    void commonSubexpressionsAndDeadCodeAreExactForQuantumLayers() {
        String merged = """
                graph @g {
                  input %x : f32[2,3]
                  param @w : f32[2] = uniform(3.141592653589793)
                  %q1 = quantum(%x, @w) {circuit = "CIRCUIT"} : f32[2,2]
                  %dead = quantum(%x, @w) {circuit = "CIRCUIT"} : f32[2,2]
                  %s = add(%q1, %q1) : f32[2,2]
                  %r = relu(%s) : f32[2,2]
                  output %y = %r
                }
                """.replace("CIRCUIT", CIRCUIT);
        // %dead equals %q1 too: CSE renames its (absent) users to %q1 and drops it
        OptimizerTesting.assertPass(new EliminateCommonSubexpressions(), TWICE, merged.replace(
                "  %dead = quantum(%x, @w) {circuit = \"" + CIRCUIT + "\"} : f32[2,2]\n", ""));
        String live = TWICE.replace("  %dead = quantum(%x, @w) {circuit = \"" + CIRCUIT + "\"} : f32[2,2]\n", "");
        OptimizerTesting.assertPass(new EliminateDeadCode(), TWICE, live);
    }

    @Test
    void nothingFusesIntoAQuantumLayer() {
        OptimizerTesting.assertPass(new FuseElementwise(), TWICE, TWICE);
        OptimizerTesting.assertPass(new FuseActivation(), TWICE, TWICE);
        OptimizerTesting.assertPass(new FoldBatchNorm(), TWICE, TWICE);
    }

    @Test
    void everyLevelAndPassKeepsRandomGraphsWithQuantumLayers() {
        int quantum = 0;
        for (long seed = 0; seed < 60; seed++) {
            Graph g = RandomGraphs.random(seed, RandomGraphs.Options.defaults().withNodes(4, 14).withQuantumLayers(true));
            Set<Op> circuits = new HashSet<>();
            for (Node n : g.nodes()) if (n.op() instanceof Op.Quantum q) circuits.add(q);
            quantum += circuits.isEmpty() ? 0 : 1;
            Model m = Model.initialized(g, seed);
            for (int level = 0; level <= 3; level++) {
                Model out = PassManager.forLevel(level, level == 3 ? "host" : "interp").run(m);
                OptimizerTesting.assertSameOutputs(m, out, seed);
                for (Node n : out.graph().nodes()) {
                    if (n.op() instanceof Op.Quantum q) assertTrue(circuits.contains(q), "a pass changed a circuit: " + q);
                }
            }
            for (String pass : Passes.names()) OptimizerTesting.assertSameOutputs(m, PassManager.fromNames(pass, "host").run(m), seed);
        }
        assertTrue(quantum >= 15, "only " + quantum + " graphs with a quantum layer");
    }

    @Test
    void loweringSaysQuantumLayersRunOnlyInTheInterpreter() {
        LoweringException e = assertThrows(LoweringException.class, () -> LowerGraph.lower(OptimizerTesting.parse(TWICE)));
        assertTrue(e.getMessage().contains("quantum layers run only in the interpreter"), e.getMessage());
        assertEquals(3, OptimizerTesting.parse(TWICE).nodes().stream().filter(n -> n.op() instanceof Op.Quantum).count());
    }
}
