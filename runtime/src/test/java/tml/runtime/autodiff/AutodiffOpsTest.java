package tml.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.*;
import tml.ir.graph.Output;
import tml.ir.graph.Pads;
import tml.ir.graph.ParamInit;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitParser;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * A finite-difference check ({@link GradCheck}: float64, ε = 1e-6, relative tolerance 1e-6) of the
 * backward rule of every op in each of its configurations, and a check that the float64 forward
 * pass agrees with the reference interpreter (relative 1e-5).
 */
class AutodiffOpsTest {
    private static int seed = 1;

    /** Gradient-checks {@code g} and compares its float64 forward pass with the interpreter. */
    static void check(Graph g) {
        long s = seed++;
        Map<String, DoubleTensor> values = GradCheck.values(g, s);
        String where = GraphPrinter.print(g);
        assertTrue(GradCheck.check(g, values, s, where) > 0);
        Map<String, Tensor> floats = GradCheck.floats(values);
        Map<String, Tensor> inputs = new java.util.HashMap<>(), params = new java.util.HashMap<>();
        g.inputs().forEach(i -> inputs.put(i.name(), floats.get(i.name())));
        g.params().forEach(p -> params.put(p.name(), floats.get(p.name())));
        Map<String, Tensor> reference = new Interpreter(Accumulation.F64, false).run(g, inputs, params);
        Autodiff.Tape tape = Autodiff.forward(g, values, values);
        for (Output o : g.outputs()) {
            Tensor ref = reference.get(o.name());
            double[] mine = tape.value(o.value()).data();
            double scale = 1;
            for (float v : ref.data()) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < mine.length; i++) {
                assertTrue(Math.abs(mine[i] - ref.data()[i]) <= 1e-5 * scale, where + "\noutput " + o.name() + "[" + i + "]: " + mine[i] + " vs " + ref.data()[i]);
            }
        }
    }

    private static Conv2d conv(Hw stride, Pads pad, Hw dilation, int groups) { return new Conv2d(stride, pad, dilation, groups); }

    @Test void conv2dWithStridePaddingDilationGroupsAndBias() {
        check(new Net("conv").input("x", 2, 3, 7, 6).param("w", 4, 3, 3, 2).param("b", 4)
                .node("y", conv(new Hw(2, 1), new Pads(1, 0, 2, 1), new Hw(1, 2), 1), "x", "w", "b").build());
        check(new Net("depthwise").input("x", 1, 3, 5, 5).param("w", 6, 1, 3, 3)
                .node("y", conv(Hw.of(1), Pads.symmetric(1, 1), Hw.of(1), 3), "x", "w").build());
        check(new Net("grouped").input("x", 2, 4, 6, 5).param("w", 6, 2, 2, 3).param("b", 6)
                .node("y", conv(new Hw(1, 2), new Pads(0, 2, 1, 0), new Hw(2, 1), 2), "x", "w", "b").build());
        check(new Net("pointwise").input("x", 1, 5, 3, 4).param("w", 2, 5, 1, 1)
                .node("y", conv(Hw.of(2), Pads.NONE, Hw.of(1), 1), "x", "w").build());
    }

    @Test void conv2dAndLinearWithFusedEpiloguesAndActivations() {
        Fusion addRelu = Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.ADD)).withActivation(ActKind.RELU);
        check(new Net("residual").input("x", 2, 3, 5, 5).input("r", 2, 4, 5, 5).param("w", 4, 3, 3, 3).param("b", 4)
                .node("y", conv(Hw.of(1), Pads.symmetric(1, 1), Hw.of(1), 1).withFusion(addRelu), "x", "w", "b", "r").build());
        Fusion mulBroadcast = Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.MUL)).withActivation(ActKind.HARDSWISH);
        check(new Net("scaled").input("x", 1, 2, 4, 4).param("w", 3, 2, 2, 2).param("s", 3, 1, 1)
                .node("y", conv(Hw.of(1), Pads.NONE, Hw.of(1), 1).withFusion(mulBroadcast), "x", "w", "s").build());
        check(new Net("divided").input("x", 1, 2, 4, 4).input("d", 1, 3, 1, 1).param("w", 3, 2, 3, 3)
                .node("pos", new BinaryScalar(BinKind.ADD, 3.0, false), "d")
                .node("y", conv(Hw.of(1), Pads.symmetric(1, 1), Hw.of(1), 1).withFusion(Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.DIV))), "x", "w", "pos")
                .build());
        check(new Net("scalar").input("x", 1, 2, 4, 4).param("w", 3, 2, 3, 3).param("b", 3)
                .node("y", conv(Hw.of(1), Pads.NONE, Hw.of(1), 1).withFusion(
                        Fusion.NONE.withEpilogue(new Epilogue.WithScalar(BinKind.SUB, 0.25)).withActivation(ActKind.SILU)), "x", "w", "b").build());
        check(new Net("linear_fused").input("x", 3, 5).input("z", 4).param("w", 4, 5).param("b", 4)
                .node("y", new Linear(Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.SUB)).withActivation(ActKind.TANH)), "x", "w", "b", "z").build());
        check(new Net("linear_scalar").input("x", 3, 5).param("w", 2, 5)
                .node("y", new Linear(Fusion.NONE.withEpilogue(new Epilogue.WithScalar(BinKind.DIV, 4.0)).withActivation(ActKind.SIGMOID)), "x", "w").build());
    }

    @Test void batchNormInInferenceForm() {
        check(new Net("bn4").input("x", 2, 3, 4, 2).param("w", 3).param("b", 3).param("m", 3).param("v", new ParamInit.Constant(0.75), 3)
                .node("y", new BatchNorm(1e-3), "x", "w", "b", "m", "v").build());
        check(new Net("bn2").input("x", 5, 4).param("w", 4).param("b", 4).param("m", 4).param("v", new ParamInit.Constant(2.0), 4)
                .node("y", new BatchNorm(1e-5), "x", "w", "b", "m", "v").build());
    }

    @Test void everyActivation() {
        for (ActKind k : ActKind.values()) {
            // inputs in [-2, 2) scaled by 4 reach every piece of relu6, hardswish and hardsigmoid
            check(new Net(k.text).input("x", 3, 4, 5).node("s", new BinaryScalar(BinKind.MUL, 4.0, false), "x").node("y", new Activation(k), "s").build());
        }
    }

    @Test void binaryOpsWithBroadcastingReduceTheGradientOverBroadcastAxes() {
        for (BinKind k : BinKind.values()) {
            check(new Net("b_" + k.text).input("a", 2, 3, 4).input("b", 3, 1).node("d", new BinaryScalar(BinKind.ADD, 3.0, false), "b")
                    .node("y", new Binary(k), "a", "d").build());
            check(new Net("b2_" + k.text).input("a", 4).input("b", 2, 1, 4).node("d", new BinaryScalar(BinKind.ADD, 3.0, false), "b")
                    .node("y", new Binary(k), "a", "d").build());
            check(new Net("self_" + k.text).input("a", 2, 3).node("d", new BinaryScalar(BinKind.ADD, 3.0, false), "a")
                    .node("y", new Binary(k), "d", "d").build());
            check(new Net("param_" + k.text).input("a", 2, 3, 2, 2).param("p", new ParamInit.Constant(1.5), 3, 1, 1)
                    .node("y", new Binary(k), "a", "p").build());
        }
    }

    @Test void binaryScalarOnEitherSide() {
        for (BinKind k : BinKind.values()) {
            for (boolean left : new boolean[] {false, true}) {
                check(new Net("s_" + k.text + left).input("x", 2, 5).node("d", new BinaryScalar(BinKind.ADD, 3.0, false), "x")
                        .node("y", new BinaryScalar(k, -0.75, left), "d").build());
            }
        }
    }

    @Test void concatChannelShuffleReshapeFlattenPadDropout() {
        check(new Net("concat").input("a", 2, 3, 2).input("b", 2, 1, 2).node("y", new Concat(1), "a", "b", "a").build());
        check(new Net("concat_neg").input("a", 2, 3).input("b", 2, 4).node("y", new Concat(-1), "b", "a").build());
        check(new Net("shuffle").input("x", 2, 6, 2, 3).node("y", new ChannelShuffle(3), "x").build());
        check(new Net("shuffle2").input("x", 1, 4, 3, 1).node("y", new ChannelShuffle(2), "x").build());
        check(new Net("reshape").input("x", 2, 3, 4).node("r", new Reshape(ImmutableList.of(4, 6)), "x")
                .node("y", new Activation(ActKind.TANH), "r").build());
        check(new Net("flatten").input("x", 2, 3, 2, 2).node("f", new Flatten(-2), "x").node("y", new Activation(ActKind.SIGMOID), "f").build());
        check(new Net("flatten1").input("x", 2, 3, 2, 2).node("f", new Flatten(1), "x").node("y", new BinaryScalar(BinKind.MUL, 2.0, false), "f").build());
        check(new Net("pad").input("x", 1, 2, 4, 3).node("y", new Pad(ImmutableList.of(0, 0, 1, 0, 2, -1, -1, 2), 0.5), "x").build());
        check(new Net("dropout").input("x", 3, 4).node("y", new Dropout(0.5), "x").node("z", new Activation(ActKind.SILU), "y").build());
        check(new Net("softmax").input("x", 2, 3, 4).node("y", new Softmax(1), "x").build());
        check(new Net("softmax_last").input("x", 3, 5).node("y", new Softmax(-1), "x").build());
    }

    @Test void poolingWithPaddingCeilModeAndCountIncludePad() {
        for (PoolKind kind : PoolKind.values()) {
            for (boolean ceil : new boolean[] {false, true}) {
                for (boolean include : new boolean[] {false, true}) {
                    check(new Net("pool").input("x", 2, 2, 7, 6)
                            .node("y", new Pool2d(kind, new Hw(3, 2), new Hw(2, 2), new Pads(1, 0, 1, 1), ceil, include), "x").build());
                    check(new Net("pool2").input("x", 1, 3, 5, 5)
                            .node("y", new Pool2d(kind, Hw.of(2), Hw.of(2), Pads.NONE, ceil, include), "x").build());
                }
            }
        }
        check(new Net("gap").input("x", 2, 3, 4, 5).node("y", new GlobalAvgPool(), "x").build());
    }

    @Test void linearAndBatchedMatmul() {
        check(new Net("linear").input("x", 2, 3, 5).param("w", 4, 5).param("b", 4).node("y", new Linear(), "x", "w", "b").build());
        check(new Net("linear_nb").input("x", 5).param("w", 3, 5).node("y", new Linear(), "x", "w").build());
        check(new Net("matmul").input("a", 2, 1, 3, 4).input("b", 3, 4, 5).node("y", new MatMul(), "a", "b").build());
        check(new Net("matmul2").input("a", 3, 4).param("b", 2, 4, 2).node("y", new MatMul(), "a", "b").build());
        check(new Net("matmul_self").input("a", 2, 3, 3).node("y", new MatMul(), "a", "a").build());
    }

    static Circuit circuit(String text) {
        try {
            return CircuitParser.parse(text);
        } catch (tml.ir.quantum.CircuitParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test void quantumLayerGradientsForParamsAndFeatures() {
        Circuit c = circuit("""
                circuit vqc qubits 3 clbits 1 inputs 4 params a, b, c, d, e {
                  h q[0]
                  ry(x[0]) q[0]
                  rz(0.5*x[1] + pi/3) q[1]
                  rx(x[2] - a) q[2]
                  ry(2*x[3]) q[1]
                  u3(a, b, -c) q[0]
                  crx(d) q[0], q[1]
                  rzz(e + 0.5*x[0]) q[1], q[2]
                  cu3(b, c, 0.25) q[2], q[0]
                  cx q[1], q[2]
                  ryy(c) q[0], q[2]
                  measure q[2] -> c[0]
                }
                """);
        check(new Net("quantum").input("x", 3, 4).param("w", new ParamInit.Uniform(Math.PI), 5).node("y", new Quantum(c), "x", "w").build());
        check(new Net("quantum_rank3").input("x", 2, 2, 4).param("w", new ParamInit.Uniform(Math.PI), 5)
                .node("q", new Quantum(c), "x", "w").node("y", new Activation(ActKind.TANH), "q").build());
        // a linear layer before the circuit: its gradient flows through the circuit's inputs
        check(new Net("hybrid").input("x", 4, 6).param("fc.weight", 4, 6).param("fc.bias", 4).param("q.weights", new ParamInit.Uniform(Math.PI), 5)
                .param("head.weight", 2, 3).node("fc", new Linear(), "x", "fc.weight", "fc.bias").node("q", new Quantum(c), "fc", "q.weights")
                .node("head", new Linear(), "q", "head.weight").node("y", new Softmax(-1), "head").build());
    }

    @Test void quantumForwardIsTheZExpectation() {
        Circuit c = circuit("circuit c qubits 2 inputs 1 params t { ry(x[0]) q[0] rx(t) q[1] }");
        Graph g = new Net("z").input("x", 2, 1).param("w", 1).node("y", new Quantum(c), "x", "w").build();
        Autodiff.Tape t = Autodiff.forward(g, Map.of("x", DoubleTensor.of(GradCheck.shape(2, 1), 0.3, 2.0)), Map.of("w", DoubleTensor.of(GradCheck.shape(1), 1.1)));
        double[] y = t.value("y").data();
        assertEquals(Math.cos(0.3), y[0], 1e-12);
        assertEquals(Math.cos(1.1), y[1], 1e-12);
        assertEquals(Math.cos(2.0), y[2], 1e-12);
        Map<String, DoubleTensor> grads = Autodiff.backward(t, Map.of("y", DoubleTensor.of(GradCheck.shape(2, 2), 1, 0, 1, 1)));
        assertEquals(-Math.sin(0.3), grads.get("x").data()[0], 1e-12);
        assertEquals(-Math.sin(2.0), grads.get("x").data()[1], 1e-12);
        assertEquals(-Math.sin(1.1), grads.get("w").data()[0], 1e-12); // only row 1 asks for Z1
        assertEquals(Optional.empty(), Optional.ofNullable(grads.get("nothing")));
    }
}
