package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;
import static tml.runtime.OpTesting.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.Linear;
import tml.ir.graph.Op.MatMul;

class LinearAlgebraTest {
    private static final Tensor X = iota(1, 2, 3); // [[1,2,3],[4,5,6]]
    private static final Tensor W = t(List.of(2, 3), 1, 0, -1, 0.5f, 0.5f, 0.5f);

    @Test void linearWithBias() {
        assertTensor(List.of(2, 2), new float[] {-1, 2, -1, 6.5f}, apply(new Linear(), X, W, Tensor.vector(1, -1)));
    }

    @Test void linearWithoutBias() {
        assertTensor(List.of(2, 2), new float[] {-2, 3, -2, 7.5f}, apply(new Linear(), X, W));
    }

    @Test void linearActsOnTheLastAxis() {
        assertTensor(List.of(2, 1, 2), new float[] {-2, 3, -2, 7.5f}, apply(new Linear(), X.reshape(2, 1, 3), W));
    }

    @Test void linearRejectsWrongFeatureCount() {
        assertThrows(TmlRuntimeException.class, () -> apply(new Linear(), X, Tensor.zeros(2, 4)));
    }

    @Test void linearF64AccumulationKeepsSmallTerms() {
        Tensor x = t(List.of(1, 6), 1e8f, 1, 1, 1, 1, -1e8f), w = Tensor.full(List.of(1, 6), 1f);
        assertEquals(0f, new Interpreter(Accumulation.F32).apply(new Linear(), List.of(x, w)).data()[0]);
        assertEquals(4f, new Interpreter(Accumulation.F64).apply(new Linear(), List.of(x, w)).data()[0]);
    }

    @Test void matmul2d() {
        Tensor a = t(List.of(2, 2), 1, 2, 3, 4), b = t(List.of(2, 2), 5, 6, 7, 8);
        assertTensor(List.of(2, 2), new float[] {19, 22, 43, 50}, apply(new MatMul(), a, b));
    }

    @Test void matmulRectangular() {
        Tensor a = t(List.of(1, 3), 1, 2, 3), b = t(List.of(3, 2), 1, 2, 3, 4, 5, 6);
        assertTensor(List.of(1, 2), new float[] {22, 28}, apply(new MatMul(), a, b));
    }

    @Test void matmulBroadcastsAMissingBatchAxis() {
        Tensor a = t(List.of(2, 2, 2), 1, 2, 3, 4, 1, 0, 0, 1), b = t(List.of(2, 2), 5, 6, 7, 8);
        assertTensor(List.of(2, 2, 2), new float[] {19, 22, 43, 50, 5, 6, 7, 8}, apply(new MatMul(), a, b));
    }

    @Test void matmulBroadcastsBatchAxesBothWays() {
        Tensor a = t(List.of(2, 1, 1, 2), 1, 2, 3, 4);
        Tensor b = t(List.of(3, 2, 1), 1, 0, 0, 1, 1, 1);
        // out[i][j] = a_i . b_j with a = ([1,2],[3,4]) and b = ([1,0],[0,1],[1,1]).
        assertTensor(List.of(2, 3, 1, 1), new float[] {1, 2, 3, 3, 4, 7}, apply(new MatMul(), a, b));
    }

    @Test void matmulRejectsMismatchedInnerDimensions() {
        assertThrows(TmlRuntimeException.class, () -> apply(new MatMul(), Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
    }
}
