package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.*;

/** What the optimizer writes: fused conv2d/linear, computed params, the graph's layout; all round-trip and verify. */
class FusionTextTest {

    static final String FUSED = """
            graph @Fused attributes {layout = nhwc} {
              input %x : f32[1,4,6,6]
              input %r : f32[1,8,6,6]
              param @conv.weight.folded : f32[8,4,3,3] = computed
              param @conv.bias.folded : f32[8] = computed
              param @fc.weight : f32[3,8] = uniform(0.35)
              %conv = conv2d(%x, @conv.weight.folded, @conv.bias.folded, %r) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1, epilogue = add, activation = relu} : f32[1,8,6,6]
              %pool = global_avg_pool(%conv) : f32[1,8,1,1]
              %flat = flatten(%pool) {start_axis = 1} : f32[1,8]
              %fc = linear(%flat, @fc.weight) {epilogue = mul_scalar, scalar = -0.5, activation = sigmoid} : f32[1,3]
              %fc2 = linear(%flat, @fc.weight) {activation = hardswish} : f32[1,3]
              %fc3 = linear(%flat, @fc.weight, %fc2) {epilogue = div} : f32[1,3]
              output %y = %fc
              output %z = %fc3
            }
            """;

    @Test
    void fusedOpsComputedParamsAndLayoutRoundTrip() throws IrParseException {
        Graph g = GraphParser.parse(FUSED, "fused.tir");
        assertEquals(FUSED, GraphPrinter.print(g));
        assertEquals(Optional.of(Layout.NHWC), g.layout());
        assertEquals(new ParamInit.Computed(), g.param("conv.weight.folded").orElseThrow().init());
        Conv2d c = (Conv2d) g.node("conv").orElseThrow().op();
        assertEquals(new Fusion(Optional.of(new Epilogue.WithOperand(BinKind.ADD)), Optional.of(ActKind.RELU)), c.fusion());
        assertEquals(1, c.fusion().extraOperands());
        Linear l = (Linear) g.node("fc").orElseThrow().op();
        assertEquals(new Fusion(Optional.of(new Epilogue.WithScalar(BinKind.MUL, -0.5)), Optional.of(ActKind.SIGMOID)), l.fusion());
        assertEquals(0, l.fusion().extraOperands());
        assertEquals(Fusion.NONE.withActivation(ActKind.HARDSWISH), ((Linear) g.node("fc2").orElseThrow().op()).fusion());
    }

    @Test
    void unfusedOpsPrintAsBefore() {
        assertEquals("conv2d {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1}",
                GraphPrinter.print(new Conv2d(Hw.of(1), Pads.NONE, Hw.of(1), 1)));
        assertEquals("linear", GraphPrinter.print(new Linear()));
        assertEquals(new Linear(Fusion.NONE), new Linear());
        assertTrue(new Conv2d(Hw.of(1), Pads.NONE, Hw.of(1), 1).fusion().isNone());
        assertEquals("linear {activation = relu6}", GraphPrinter.print(new Linear(Fusion.NONE.withActivation(ActKind.RELU6))));
        Graph g = new Graph("g", com.google.common.collect.ImmutableList.of(), com.google.common.collect.ImmutableList.of(),
                com.google.common.collect.ImmutableList.of(), com.google.common.collect.ImmutableList.of());
        assertTrue(GraphPrinter.print(g).startsWith("graph @g {\n"));
        assertTrue(GraphPrinter.print(g.withLayout(Layout.NCHW)).startsWith("graph @g attributes {layout = nchw} {\n"));
    }

    @Test
    void fusedTypingRules() {
        TensorType x = TensorType.f32(1, 4, 6, 6), w = TensorType.f32(8, 4, 1, 1), b = TensorType.f32(8);
        Conv2d add = new Conv2d(Hw.of(1), Pads.NONE, Hw.of(1), 1, Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.ADD)));
        assertEquals(TensorType.f32(1, 8, 6, 6), infer(add, x, w, b, TensorType.f32(1, 8, 6, 6)));
        assertEquals(TensorType.f32(1, 8, 6, 6), infer(add, x, w, TensorType.f32(8, 1, 1))); // no bias, per-channel operand
        ShapeException grows = assertThrows(ShapeException.class, () -> ShapeRules.infer(add, List.of(x, w, b, TensorType.f32(2, 8, 6, 6))));
        assertEquals("conv2d: the add epilogue's operand f32[2,8,6,6] does not broadcast to the result f32[1,8,6,6] without growing it",
                grows.getMessage());
        ShapeException arity = assertThrows(ShapeException.class, () -> ShapeRules.infer(add, List.of(x, w)));
        assertEquals("conv2d with an epilogue operand takes 3 to 4 operands (its own, then the epilogue's), got 2", arity.getMessage());
        Linear scalar = new Linear(Fusion.NONE.withEpilogue(new Epilogue.WithScalar(BinKind.SUB, 1.0)));
        assertEquals(TensorType.f32(2, 3), infer(scalar, TensorType.f32(2, 5), TensorType.f32(3, 5), TensorType.f32(3)));
    }

    private static TensorType infer(Op op, TensorType... in) {
        try {
            return ShapeRules.infer(op, List.of(in));
        } catch (ShapeException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    static final String HEAD = "graph @G {\n  input %x : f32[2,5]\n  param @w : f32[3,5] = uniform(0.1)\n";

    @Test
    void badFusionAttributesAreErrorsAtTheOp() {
        GraphParserErrorTest.fails(HEAD + "  %y = linear(%x, @w) {activation = gelu} : f32[2,3]\n}",
                "e.ir:4:37: error: attribute 'activation' of linear must be one of relu, relu6, hardswish, hardsigmoid, sigmoid, silu, tanh, found 'gelu'");
        GraphParserErrorTest.fails(HEAD + "  %y = linear(%x, @w) {epilogue = add_scalar} : f32[2,3]\n}",
                "e.ir:4:8: error: linear: epilogue 'add_scalar' needs attribute 'scalar'");
        GraphParserErrorTest.fails(HEAD + "  %y = linear(%x, @w) {epilogue = add, scalar = 1.0} : f32[2,3]\n}",
                "e.ir:4:8: error: linear: attribute 'scalar' needs an epilogue with a scalar, such as 'add_scalar'");
        GraphParserErrorTest.fails(HEAD + "  %y = linear(%x, @w) {scalar = 1.0} : f32[2,3]\n}",
                "e.ir:4:8: error: linear: attribute 'scalar' needs an epilogue with a scalar, such as 'add_scalar'");
        GraphParserErrorTest.fails("graph @G attributes {layout = nwhc} {\n}", "e.ir:1:31: error: layout must be nchw or nhwc, found 'nwhc'");
    }

    @Test
    void theVerifierChecksTheEpilogueOperand() throws IrParseException {
        Graph g = GraphParser.parseUnverified(HEAD + "  %y = linear(%x, @w, %x) {epilogue = add} : f32[2,3]\n  output %o = %y\n}", "v.ir");
        List<String> problems = Verifier.verify(g);
        assertFalse(problems.isEmpty());
        assertEquals("node 'y': linear: the add epilogue's operand f32[2,5] does not broadcast to the result f32[2,3] without growing it",
                problems.get(0));
    }
}
