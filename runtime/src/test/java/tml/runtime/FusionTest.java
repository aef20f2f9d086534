package tml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tml.runtime.OpTesting.apply;
import static tml.runtime.OpTesting.assertTensor;
import static tml.runtime.OpTesting.t;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.Activation;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.Binary;
import tml.ir.graph.Op.BinaryScalar;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Epilogue;
import tml.ir.graph.Op.Fusion;
import tml.ir.graph.Op.Linear;
import tml.ir.graph.Pads;

/** Conv2d and linear with fused elementwise work: by hand, and bit-identical to the separate ops. */
class FusionTest {

    static final Tensor X = t(List.of(2, 3), 1, -2, 3, -4, 5, -6);
    static final Tensor W = t(List.of(2, 3), 1, 0, 1, 0, 1, 0);
    static final Tensor B = Tensor.vector(0.5f, -1);

    @Test
    void linearWithOperandEpilogueThenActivation() {
        // x @ w^T + b = [[4.5, -3], [-9.5, 4]]; minus [10, 1] per column; relu.
        Linear op = new Linear(new Fusion(Optional.of(new Epilogue.WithOperand(BinKind.SUB)), Optional.of(ActKind.RELU)));
        assertTensor(List.of(2, 2), new float[] {0, 0, 0, 3}, apply(op, X, W, B, Tensor.vector(10, 1)));
        // Without a bias: the epilogue operand is the third operand.
        Linear add = new Linear(Fusion.NONE.withEpilogue(new Epilogue.WithOperand(BinKind.ADD)));
        assertTensor(List.of(2, 2), new float[] {5, -1, -9, 6}, apply(add, X, W, t(List.of(2, 2), 1, 1, 1, 1)));
    }

    @Test
    void linearWithScalarEpilogue() {
        Linear op = new Linear(Fusion.NONE.withEpilogue(new Epilogue.WithScalar(BinKind.MUL, 2.0)));
        assertTensor(List.of(2, 2), new float[] {9, -6, -19, 8}, apply(op, X, W, B));
    }

    @Test
    void fusedConvIsBitIdenticalToTheSeparateOps() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        Tensor x = Tensor.zeros(1, 3, 7, 7), w = Tensor.zeros(4, 3, 3, 3), b = Tensor.zeros(4), z = Tensor.zeros(4, 1, 1);
        for (Tensor t : List.of(x, w, b, z)) for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) r.nextDouble(-1, 1);
        Conv2d plain = new Conv2d(Hw.of(2), Pads.symmetric(1, 1), Hw.of(1), 1);
        for (Accumulation acc : Accumulation.values()) {
            Interpreter in = new Interpreter(acc, false);
            Tensor y = in.apply(plain, List.of(x, w, b));
            Tensor sep = in.apply(new Activation(ActKind.HARDSWISH), List.of(in.apply(new Binary(BinKind.DIV), List.of(y, z))));
            Conv2d fused = plain.withFusion(new Fusion(Optional.of(new Epilogue.WithOperand(BinKind.DIV)), Optional.of(ActKind.HARDSWISH)));
            assertEquals(sep, in.apply(fused, List.of(x, w, b, z)), acc.toString());
            Tensor sepScalar = in.apply(new Activation(ActKind.SILU), List.of(in.apply(new BinaryScalar(BinKind.SUB, 0.1, false), List.of(y))));
            Conv2d fusedScalar = plain.withFusion(new Fusion(Optional.of(new Epilogue.WithScalar(BinKind.SUB, 0.1)), Optional.of(ActKind.SILU)));
            assertEquals(sepScalar, in.apply(fusedScalar, List.of(x, w, b)), acc.toString());
        }
    }
}
