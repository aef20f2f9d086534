package tml.ir.graph.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tml.ir.graph.DType;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op.*;
import tml.ir.graph.OpCost;
import tml.ir.graph.Param;
import tml.ir.graph.ParamInit;
import tml.ir.graph.Verifier;

class RandomGraphsTest {

    @Test
    void deterministicInTheSeed() {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(RandomGraphs.random(seed), RandomGraphs.random(seed));
        }
        assertNotEquals(RandomGraphs.random(1), RandomGraphs.random(2));
    }

    @Test
    void graphsAreValidSmallAndWellConditioned() {
        RandomGraphs.Options o = RandomGraphs.Options.defaults();
        for (long seed = 0; seed < 2000; seed++) {
            Graph g = RandomGraphs.random(seed, o);
            assertEquals(java.util.List.of(), Verifier.verify(g));
            assertTrue(g.nodes().size() >= o.minNodes(), "nodes " + g.nodes().size());
            assertTrue(!g.outputs().isEmpty());
            for (Input i : g.inputs()) {
                assertEquals(4, i.type().rank());
                assertTrue(i.type().dim(0) <= o.maxBatch() && i.type().dim(1) <= o.maxChannels()
                        && i.type().dim(2) <= o.maxSpatial() && i.type().dim(3) <= o.maxSpatial(), i.toString());
            }
            for (Node n : g.nodes()) {
                assertTrue(n.type().numel() <= o.maxElements(), n.toString());
                assertTrue(OpCost.macs(g, n) <= o.maxMacs(), n.toString());
            }
            for (Param p : g.params()) {
                assertTrue(p.type().numel() <= o.maxElements(), p.toString());
                switch (p.init()) {
                    case ParamInit.Uniform u -> assertTrue(u.bound() > 0 && u.bound() <= 1.0, p.toString());
                    case ParamInit.Constant c -> assertTrue(Double.isFinite(c.value()), p.toString());
                    case ParamInit.Computed c -> fail("random graphs have no computed params: " + p);
                }
                if (p.name().endsWith("running_var")) {
                    assertTrue(p.init() instanceof ParamInit.Constant c && c.value() > 0, p.toString());
                }
            }
        }
    }

    @Test
    void coversEveryOpAndTheInterestingVariants() {
        Map<String, Integer> seen = new HashMap<>();
        for (long seed = 0; seed < 1000; seed++) {
            Graph g = RandomGraphs.random(seed);
            for (Node n : g.nodes()) {
                seen.merge(n.op().mnemonic(), 1, Integer::sum);
                switch (n.op()) {
                    case Conv2d c -> {
                        int cin = g.typeOf(n.operands().get(0)).orElseThrow().dim(1);
                        if (c.groups() == cin && cin > 1) seen.merge("conv2d:depthwise", 1, Integer::sum);
                        if (c.groups() > 1 && c.groups() < cin) seen.merge("conv2d:grouped", 1, Integer::sum);
                        if (c.dilation().h() > 1 || c.dilation().w() > 1) seen.merge("conv2d:dilated", 1, Integer::sum);
                        if (c.stride().h() > 1) seen.merge("conv2d:strided", 1, Integer::sum);
                        if (c.padding().top() != c.padding().bottom()) seen.merge("conv2d:asymmetric", 1, Integer::sum);
                        if (n.operands().size() == 3) seen.merge("conv2d:bias", 1, Integer::sum);
                    }
                    case Pool2d p -> seen.merge(p.kind().text + ":ceil=" + p.ceilMode(), 1, Integer::sum);
                    case Binary b -> {
                        var a = g.typeOf(n.operands().get(0)).orElseThrow();
                        var c = g.typeOf(n.operands().get(1)).orElseThrow();
                        if (!a.equals(c)) seen.merge("binary:broadcast", 1, Integer::sum);
                        if (g.isParam(n.operands().get(1)) || g.isParam(n.operands().get(0))) seen.merge("binary:param", 1, Integer::sum);
                    }
                    case BinaryScalar b -> seen.merge("scalar_left=" + b.scalarLeft(), 1, Integer::sum);
                    case Linear l -> {
                        if (g.nodes().stream().anyMatch(m -> m.name().equals(n.operands().get(0)) && m.op() instanceof Flatten)) {
                            seen.merge("linear:after_flatten", 1, Integer::sum);
                        }
                    }
                    default -> {}
                }
            }
        }
        Set<String> want = new TreeSet<>(Set.of("conv2d", "batch_norm", "relu", "relu6", "hardswish", "hardsigmoid",
                "sigmoid", "silu", "tanh", "add", "sub", "mul", "div", "add_scalar", "sub_scalar", "mul_scalar",
                "div_scalar", "concat", "channel_shuffle", "max_pool2d", "avg_pool2d", "global_avg_pool", "linear",
                "matmul", "softmax", "reshape", "flatten", "pad", "dropout",
                "conv2d:depthwise", "conv2d:grouped", "conv2d:dilated", "conv2d:strided", "conv2d:asymmetric", "conv2d:bias",
                "max_pool2d:ceil=true", "max_pool2d:ceil=false", "avg_pool2d:ceil=true", "avg_pool2d:ceil=false",
                "binary:broadcast", "binary:param", "scalar_left=true", "scalar_left=false", "linear:after_flatten"));
        want.removeAll(seen.keySet());
        assertEquals(Set.of(), want, "never generated; seen: " + new java.util.TreeMap<>(seen));
    }

    @Test
    void optionsAreHonoured() {
        RandomGraphs.Options o = RandomGraphs.Options.defaults().withNodes(30, 40).withMaxInputs(1)
                .withSizes(1, 3, 5, 4096).withDtype(DType.F16);
        for (long seed = 0; seed < 100; seed++) {
            Graph g = RandomGraphs.random(seed, o);
            assertTrue(g.nodes().size() >= 30, "nodes " + g.nodes().size());
            assertEquals(1, g.inputs().size());
            assertTrue(g.inputs().get(0).type().dim(1) <= 3);
            assertTrue(g.params().stream().allMatch(p -> p.type().dtype() == DType.F16));
            assertTrue(g.nodes().stream().allMatch(n -> n.type().dtype() == DType.F16 && n.type().numel() <= 4096));
        }
        assertThrows(IllegalArgumentException.class, () -> RandomGraphs.Options.defaults().withDtype(DType.I8));
        assertThrows(IllegalArgumentException.class, () -> RandomGraphs.Options.defaults().withNodes(5, 4));
        assertThrows(IllegalArgumentException.class, () -> RandomGraphs.Options.defaults().withSizes(2, 16, 16, 100));
        assertThrows(IllegalArgumentException.class, () -> RandomGraphs.Options.defaults().withMaxMacs(0));
        RandomGraphs.Options cheap = RandomGraphs.Options.defaults().withMaxMacs(1000).withNodes(10, 20);
        for (long seed = 0; seed < 100; seed++) {
            Graph g = RandomGraphs.random(seed, cheap);
            for (Node n : g.nodes()) assertTrue(OpCost.macs(g, n) <= 1000, n.toString());
        }
    }
}
