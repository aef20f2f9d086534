package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.Activation;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.Binary;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Flatten;
import tml.ir.graph.Op.Linear;
import tml.ir.graph.Op.Reshape;
import tml.ir.graph.Pads;
import tml.ir.graph.TensorType;

class InterpreterTest {
    /** conv (2x2 kernel, bias) -> relu -> flatten -> linear, plus a second output that is the input itself. */
    private static Graph tiny() {
        return TestGraphs.named("Tiny")
                .input("x", 1, 1, 3, 3)
                .param("conv.weight", 1, 1, 2, 2).param("conv.bias", 1)
                .param("fc.weight", 1, 4).param("fc.bias", 1)
                .node("conv", new Conv2d(Hw.of(1), Pads.NONE, Hw.of(1), 1), "x", "conv.weight", "conv.bias")
                .node("relu", new Activation(ActKind.RELU), "conv")
                .node("flat", new Flatten(1), "relu")
                .node("fc", new Linear(), "flat", "fc.weight", "fc.bias")
                .output("logits", "fc")
                .output("echo", "x")
                .build();
    }

    private static final Tensor X = Tensor.of(List.of(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);

    private static Map<String, Tensor> tinyParams() {
        return Map.of(
                "conv.weight", Tensor.of(List.of(1, 1, 2, 2), 1, 2, 3, 4),
                "conv.bias", Tensor.vector(-50),
                "fc.weight", Tensor.of(List.of(1, 4), 1, 1, 1, 1),
                "fc.bias", Tensor.vector(0.25f));
    }

    @Test void runsASmallNetwork() {
        var out = new Interpreter().run(tiny(), Map.of("x", X), tinyParams());
        assertEquals(List.of("logits", "echo"), out.keySet().asList());
        // conv: 37, 47, 67, 77; -50: -13, -3, 17, 27; relu: 0, 0, 17, 27; sum + 0.25 = 44.25.
        assertEquals(Tensor.of(List.of(1, 1), 44.25f), out.get("logits"));
        assertSame(X, out.get("echo"));
    }

    @Test void runAllKeepsIntermediateValues() {
        var all = new Interpreter().runAll(tiny(), Map.of("x", X), tinyParams());
        assertArrayEquals(new float[] {0, 0, 17, 27}, all.get("relu").data());
        assertEquals(List.of(1, 4), all.get("flat").shape());
    }

    @Test void extraParamsAreIgnored() {
        var params = new java.util.HashMap<>(tinyParams());
        params.put("unused", Tensor.zeros(3));
        assertEquals(44.25f, new Interpreter().run(tiny(), Map.of("x", X), params).get("logits").data()[0]);
    }

    @Test void inputShapeMismatchIsReported() {
        var e = assertThrows(TmlRuntimeException.class,
                () -> new Interpreter().run(tiny(), Map.of("x", Tensor.zeros(1, 1, 4, 4)), tinyParams()));
        assertEquals("cannot run network Tiny: input 'x' has shape [1, 1, 4, 4] but the network expects f32[1,1,3,3]",
                e.getMessage());
    }

    @Test void everyBindingProblemIsListed() {
        var params = new java.util.HashMap<>(tinyParams());
        params.remove("fc.bias");
        params.put("conv.weight", Tensor.zeros(1, 1, 3, 3));
        var e = assertThrows(TmlRuntimeException.class,
                () -> new Interpreter().run(tiny(), Map.of("image", X), params));
        String m = e.getMessage();
        assertTrue(m.contains("input 'x' (f32[1,1,3,3]) is not given"), m);
        assertTrue(m.contains("'image' is not an input of the network (its inputs are: x)"), m);
        assertTrue(m.contains("parameter 'fc.bias' (f32[1]) has no value"), m);
        assertTrue(m.contains("parameter 'conv.weight' has shape [1, 1, 3, 3] but the network expects f32[1,1,2,2]"), m);
    }

    @Test void aNodeWhoseDeclaredTypeIsWrongIsReported() {
        Graph g = TestGraphs.named("Bad")
                .input("x", 2, 3)
                .rawNode("r", new Reshape(ImmutableList.of(3, 2)), TensorType.f32(6), "x")
                .output("y", "r")
                .build();
        var e = assertThrows(TmlRuntimeException.class, () -> new Interpreter().run(g, Map.of("x", Tensor.zeros(2, 3)), Map.of()));
        assertTrue(e.getMessage().contains("node 'r' declares type f32[6]"), e.getMessage());
    }

    @Test void anOperandThatIsNotDefinedIsReported() {
        Graph g = TestGraphs.named("Bad")
                .input("x", 2)
                .rawNode("s", new Binary(BinKind.ADD), TensorType.f32(2), "x", "nowhere")
                .output("y", "s")
                .build();
        var e = assertThrows(TmlRuntimeException.class, () -> new Interpreter().run(g, Map.of("x", Tensor.zeros(2)), Map.of()));
        assertTrue(e.getMessage().contains("node 's' uses 'nowhere'"), e.getMessage());
    }

    @Test void valuesUsedTwiceSurviveTheirFirstUse() {
        Graph g = TestGraphs.named("Twice")
                .input("x", 2)
                .node("a", new Activation(ActKind.RELU), "x")
                .node("b", new Binary(BinKind.MUL), "a", "a")
                .node("c", new Binary(BinKind.ADD), "b", "a")
                .output("y", "c")
                .output("a", "a")
                .build();
        var out = new Interpreter().run(g, Map.of("x", Tensor.vector(-1, 3)), Map.of());
        assertArrayEquals(new float[] {0, 12}, out.get("y").data());
        assertArrayEquals(new float[] {0, 3}, out.get("a").data());
    }
}
