package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;
import static tml.runtime.OpTesting.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.Activation;
import tml.ir.graph.Op.BatchNorm;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.Binary;
import tml.ir.graph.Op.BinaryScalar;

class ElementwiseTest {
    private static final Tensor X = Tensor.vector(-4, -1, 0, 0.5f, 3, 7);

    private static void assertActivation(ActKind kind, float... expected) {
        assertTensor(List.of(6), expected, apply(new Activation(kind), X));
    }

    @Test void relu() { assertActivation(ActKind.RELU, 0, 0, 0, 0.5f, 3, 7); }

    @Test void relu6() { assertActivation(ActKind.RELU6, 0, 0, 0, 0.5f, 3, 6); }

    @Test void hardswish() {
        // x * relu6(x + 3) / 6
        assertActivation(ActKind.HARDSWISH, 0, -1f / 3, 0, 0.5f * 3.5f / 6, 3, 7);
    }

    @Test void hardsigmoid() { assertActivation(ActKind.HARDSIGMOID, 0, 2f / 6, 0.5f, 3.5f / 6, 1, 1); }

    @Test void sigmoid() {
        assertActivation(ActKind.SIGMOID, 0.01798621f, 0.26894142f, 0.5f, 0.62245935f, 0.95257413f, 0.99908894f);
    }

    @Test void silu() {
        assertActivation(ActKind.SILU, -0.07194484f, -0.26894142f, 0, 0.31122968f, 2.8577223f, 6.9936228f);
    }

    @Test void tanh() {
        assertActivation(ActKind.TANH, -0.9993293f, -0.7615942f, 0, 0.46211717f, 0.9950548f, 0.9999983f);
    }

    @Test void sigmoidSaturatesWithoutNaN() {
        Tensor y = apply(new Activation(ActKind.SIGMOID), Tensor.vector(-1000, 1000));
        assertArrayEquals(new float[] {0, 1}, y.data());
    }

    @Test void reluKeepsNaN() {
        assertTrue(Float.isNaN(apply(new Activation(ActKind.RELU), Tensor.vector(Float.NaN)).data()[0]));
    }

    private static final Tensor A23 = iota(1, 2, 3); // [[1,2,3],[4,5,6]]

    @Test void addBroadcastsATrailingVector() {
        assertTensor(List.of(2, 3), new float[] {11, 22, 33, 14, 25, 36},
                apply(new Binary(BinKind.ADD), A23, Tensor.vector(10, 20, 30)));
    }

    @Test void mulBroadcastsAColumn() {
        assertTensor(List.of(2, 3), new float[] {10, 20, 30, 80, 100, 120},
                apply(new Binary(BinKind.MUL), A23, t(List.of(2, 1), 10, 20)));
    }

    @Test void subBroadcastsBothOperands() {
        Tensor col = t(List.of(2, 1), 1, 2), row = t(List.of(1, 3), 10, 20, 30);
        assertTensor(List.of(2, 3), new float[] {-9, -19, -29, -8, -18, -28}, apply(new Binary(BinKind.SUB), col, row));
    }

    @Test void broadcastAddsLeadingAxes() {
        Tensor a = t(List.of(2, 1, 1), 1, 2), b = t(List.of(3, 2), 10, 20, 30, 40, 50, 60);
        assertTensor(List.of(2, 3, 2), new float[] {11, 21, 31, 41, 51, 61, 12, 22, 32, 42, 52, 62},
                apply(new Binary(BinKind.ADD), a, b));
    }

    @Test void divByRankZeroTensor() {
        assertTensor(List.of(3), new float[] {0.5f, 1, 1.5f}, apply(new Binary(BinKind.DIV), Tensor.vector(1, 2, 3), Tensor.scalar(2)));
    }

    @Test void shapesThatDoNotBroadcastAreReported() {
        var e = assertThrows(TmlRuntimeException.class, () -> apply(new Binary(BinKind.ADD), A23, Tensor.vector(1, 2)));
        assertTrue(e.getMessage().contains("broadcast"), e.getMessage());
    }

    @Test void scalarOnEitherSide() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertTensor(List.of(3), new float[] {0, -1, -2}, apply(new BinaryScalar(BinKind.SUB, 1, true), x));
        assertTensor(List.of(3), new float[] {0, 1, 2}, apply(new BinaryScalar(BinKind.SUB, 1, false), x));
        assertTensor(List.of(3), new float[] {6, 3, 2}, apply(new BinaryScalar(BinKind.DIV, 6, true), x));
        assertTensor(List.of(3), new float[] {0.5f, 1, 1.5f}, apply(new BinaryScalar(BinKind.DIV, 2, false), x));
        assertTensor(List.of(3), new float[] {3.5f, 4.5f, 5.5f}, apply(new BinaryScalar(BinKind.ADD, 2.5, true), x));
    }

    @Test void batchNormInference() {
        Tensor x = t(List.of(2, 2), 1, 2, 3, 4); // channel 0: 1, 3; channel 1: 2, 4
        Tensor w = Tensor.vector(2, 1), b = Tensor.vector(0.5f, -1), mean = Tensor.vector(1, 2), var = Tensor.vector(4, 0.25f);
        // channel 0: (x-1)/2*2+0.5; channel 1: (x-2)/0.5*1-1
        assertTensor(List.of(2, 2), new float[] {0.5f, -1, 2.5f, 3}, apply(new BatchNorm(0), x, w, b, mean, var));
    }

    @Test void batchNormAddsEpsToVarianceOverSpatialAxes() {
        Tensor x = t(List.of(1, 1, 1, 2), 3, 5);
        Tensor one = Tensor.vector(1), zero = Tensor.vector(0);
        // var 3 + eps 1 = 4: x / 2
        assertTensor(List.of(1, 1, 1, 2), new float[] {1.5f, 2.5f}, apply(new BatchNorm(1), x, one, zero, zero, Tensor.vector(3)));
    }
}
