package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;
import static tml.runtime.OpTesting.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.GlobalAvgPool;
import tml.ir.graph.Op.Pool2d;
import tml.ir.graph.Op.PoolKind;
import tml.ir.graph.Pads;

class PoolTest {
    /** x[i][j] = 4i + j + 1, 4x4. */
    private static final Tensor X4 = iota(1, 1, 1, 4, 4);
    /** x[i][j] = 5i + j + 1, 5x5. */
    private static final Tensor X5 = iota(1, 1, 1, 5, 5);

    private static Pool2d max(int k, int s, int pad, boolean ceil) {
        return new Pool2d(PoolKind.MAX, Hw.of(k), Hw.of(s), Pads.symmetric(pad, pad), ceil, true);
    }

    private static Pool2d avg(int k, int s, int pad, boolean ceil, boolean includePad) {
        return new Pool2d(PoolKind.AVG, Hw.of(k), Hw.of(s), Pads.symmetric(pad, pad), ceil, includePad);
    }

    @Test void maxPool() {
        assertTensor(List.of(1, 1, 2, 2), new float[] {6, 8, 14, 16}, apply(max(2, 2, 0, false), X4));
    }

    @Test void maxPoolPadsWithMinusInfinity() {
        Tensor neg = apply(new tml.ir.graph.Op.BinaryScalar(tml.ir.graph.Op.BinKind.MUL, -1, false), X4);
        // 3x3 windows at stride 2 with padding 1; zero padding would give 0 in every window.
        assertTensor(List.of(1, 1, 2, 2), new float[] {-1, -2, -5, -6}, apply(max(3, 2, 1, false), neg));
    }

    @Test void maxPoolCeilModeAddsPartialWindows() {
        assertTensor(List.of(1, 1, 3, 3), new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, apply(max(2, 2, 0, true), X5));
        assertTensor(List.of(1, 1, 2, 2), new float[] {7, 9, 17, 19}, apply(max(2, 2, 0, false), X5));
    }

    @Test void maxPoolPropagatesNaN() {
        Tensor x = t(List.of(1, 1, 2, 2), 1, Float.NaN, 3, 2);
        assertTrue(Float.isNaN(apply(max(2, 2, 0, false), x).data()[0]));
    }

    @Test void avgPool() {
        assertTensor(List.of(1, 1, 2, 2), new float[] {3.5f, 5.5f, 11.5f, 13.5f}, apply(avg(2, 2, 0, false, true), X4));
    }

    @Test void avgPoolCountIncludePad() {
        // Window sums 14, 30, 57, 99 over 4, 6, 6, 9 input elements of 9-element windows.
        assertTensor(List.of(1, 1, 2, 2), new float[] {14f / 9, 30f / 9, 57f / 9, 11}, apply(avg(3, 2, 1, false, true), X4));
        assertTensor(List.of(1, 1, 2, 2), new float[] {3.5f, 5, 9.5f, 11}, apply(avg(3, 2, 1, false, false), X4));
    }

    @Test void avgPoolCeilModeClipsWindowsToTheInput() {
        // The last row and column of windows hold one input row/column and count only it.
        assertTensor(List.of(1, 1, 3, 3), new float[] {4, 6, 7.5f, 14, 16, 17.5f, 21.5f, 23.5f, 25},
                apply(avg(2, 2, 0, true, true), X5));
    }

    @Test void avgPoolCeilModeWithPaddingClipsToThePaddedInput() {
        // Windows of the last row/column start at input row 3 and reach one padding row: 2 of 3 rows count.
        float[] include = {14f / 9, 30f / 9, 2, 57f / 9, 11, 6, 4.5f, 7.5f, 4};
        float[] exclude = {3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16};
        assertTensor(List.of(1, 1, 3, 3), include, apply(avg(3, 2, 1, true, true), X4));
        assertTensor(List.of(1, 1, 3, 3), exclude, apply(avg(3, 2, 1, true, false), X4));
    }

    @Test void asymmetricPoolWindows() {
        Pool2d op = new Pool2d(PoolKind.AVG, new Hw(1, 2), new Hw(1, 2), Pads.NONE, false, true);
        assertTensor(List.of(1, 1, 4, 2), new float[] {1.5f, 3.5f, 5.5f, 7.5f, 9.5f, 11.5f, 13.5f, 15.5f}, apply(op, X4));
    }

    @Test void globalAvgPool() {
        Tensor x = t(List.of(1, 2, 2, 2), 1, 2, 3, 4, 10, 20, 30, 40);
        assertTensor(List.of(1, 2, 1, 1), new float[] {2.5f, 25}, apply(new GlobalAvgPool(), x));
    }

    @Test void f64AccumulationIsMoreAccurate() {
        // 1e8 + 1 rounds back to 1e8 in float32, so float sums lose the ones.
        Tensor x = t(List.of(1, 1, 1, 4), 1e8f, 1, 1, -1e8f);
        Interpreter f32 = new Interpreter(Accumulation.F32), f64 = new Interpreter(Accumulation.F64);
        assertEquals(0f, f32.apply(new GlobalAvgPool(), List.of(x)).data()[0]);
        assertEquals(0.5f, f64.apply(new GlobalAvgPool(), List.of(x)).data()[0]);
    }
}
