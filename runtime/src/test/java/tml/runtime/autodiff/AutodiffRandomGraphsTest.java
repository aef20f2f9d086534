package tml.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Node;
import tml.ir.graph.gen.RandomGraphs;

/**
 * Finite-difference checks ({@link GradCheck}: float64, ε = 1e-6, relative tolerance 1e-6) of the
 * gradients of every input and parameter of the ir module's random graphs, which mix all ops in
 * random configurations; and random graphs with quantum layers.
 */
class AutodiffRandomGraphsTest {
    /** Small enough that a graph's ~100 float64 forward passes take milliseconds. */
    private static final RandomGraphs.Options SMALL = RandomGraphs.Options.defaults().withSizes(2, 6, 8, 2048).withMaxMacs(40_000);

    @Test void gradientsOfRandomGraphsMatchFiniteDifferences() {
        Set<String> ops = new HashSet<>();
        int checks = 0;
        for (long seed = 0; seed < 120; seed++) {
            Graph g = RandomGraphs.random(seed, SMALL);
            for (Node n : g.nodes()) ops.add(n.op().mnemonic());
            Map<String, DoubleTensor> values = GradCheck.values(g, seed);
            checks += GradCheck.check(g, values, seed, "seed " + seed + ":\n" + GraphPrinter.print(g));
        }
        assertTrue(checks > 1000, "only " + checks + " checks");
        for (String op : new String[] {"conv2d", "batch_norm", "relu", "add", "mul", "div", "sub", "concat", "channel_shuffle", "max_pool2d",
            "avg_pool2d", "global_avg_pool", "linear", "matmul", "softmax", "reshape", "flatten", "pad", "dropout", "mul_scalar"}) {
            assertTrue(ops.contains(op), "no random graph used " + op);
        }
    }

    @Test void gradientsOfRandomGraphsWithQuantumLayersMatchFiniteDifferences() {
        int quantum = 0;
        for (long seed = 0; seed < 40; seed++) {
            Graph g = RandomGraphs.random(seed, SMALL.withQuantumLayers(true));
            if (g.nodes().stream().anyMatch(n -> n.op() instanceof tml.ir.graph.Op.Quantum)) quantum++;
            Map<String, DoubleTensor> values = GradCheck.values(g, seed);
            GradCheck.check(g, values, seed, "seed " + seed + " (quantum layers):\n" + GraphPrinter.print(g));
        }
        assertTrue(quantum >= 8, "only " + quantum + " graphs with a quantum layer");
    }
}
