package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;
import static tml.runtime.OpTesting.*;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Pads;

class Conv2dTest {
    private static Conv2d conv(int stride, Pads pads, int dilation, int groups) {
        return new Conv2d(Hw.of(stride), pads, Hw.of(dilation), groups);
    }

    /** x = [[1,2,3],[4,5,6],[7,8,9]]. */
    private static final Tensor X3 = iota(1, 1, 1, 3, 3);

    @Test void plainConvolutionIsCrossCorrelation() {
        Tensor w = t(List.of(1, 1, 2, 2), 1, 2, 3, 4);
        // [0,0]: 1*1 + 2*2 + 3*4 + 4*5 = 37, then 47, 67, 77.
        assertTensor(List.of(1, 1, 2, 2), new float[] {37, 47, 67, 77}, apply(conv(1, Pads.NONE, 1, 1), X3, w));
    }

    @Test void biasIsAdded() {
        Tensor w = t(List.of(1, 1, 2, 2), 1, 2, 3, 4);
        assertTensor(List.of(1, 1, 2, 2), new float[] {37.5f, 47.5f, 67.5f, 77.5f},
                apply(conv(1, Pads.NONE, 1, 1), X3, w, Tensor.vector(0.5f)));
    }

    @Test void paddingAndStride() {
        Tensor ones = Tensor.full(List.of(1, 1, 3, 3), 1f);
        // 3x3 windows at stride 2 over the zero-padded 5x5 input: the four 2x2 corners of x.
        assertTensor(List.of(1, 1, 2, 2), new float[] {12, 16, 24, 28}, apply(conv(2, Pads.symmetric(1, 1), 1, 1), X3, ones));
    }

    @Test void asymmetricPadding() {
        Tensor ones = Tensor.full(List.of(1, 1, 1, 2), 1f);
        // Only one zero column on the left: out[i][j] = x[i][j-1] + x[i][j].
        assertTensor(List.of(1, 1, 3, 3), new float[] {1, 3, 5, 4, 9, 11, 7, 15, 17},
                apply(conv(1, new Pads(0, 1, 0, 0), 1, 1), X3, ones));
    }

    @Test void stridesDifferPerAxis() {
        Tensor one = Tensor.full(List.of(1, 1, 1, 1), 1f);
        Conv2d op = new Conv2d(new Hw(2, 1), Pads.NONE, Hw.of(1), 1);
        assertTensor(List.of(1, 1, 2, 3), new float[] {1, 2, 3, 7, 8, 9}, apply(op, X3, one));
    }

    @Test void dilation() {
        Tensor x = iota(0, 1, 1, 5, 5); // x[i][j] = 5i + j
        Tensor ones = Tensor.full(List.of(1, 1, 2, 2), 1f);
        // taps at (i,j), (i,j+2), (i+2,j), (i+2,j+2): 4(5i+j) + 24 = 20i + 4j + 24.
        assertTensor(List.of(1, 1, 3, 3), new float[] {24, 28, 32, 44, 48, 52, 64, 68, 72},
                apply(conv(1, Pads.NONE, 2, 1), x, ones));
    }

    @Test void groupsConnectOnlyTheirChannels() {
        Tensor x = t(List.of(1, 4, 1, 1), 1, 2, 3, 4);
        Tensor w = t(List.of(2, 2, 1, 1), 1, 10, 100, 1000);
        // out0 = 1*1 + 2*10, out1 = 3*100 + 4*1000.
        assertTensor(List.of(1, 2, 1, 1), new float[] {21, 4300}, apply(conv(1, Pads.NONE, 1, 2), x, w));
    }

    @Test void depthwiseWithMultiplier() {
        Tensor x = t(List.of(1, 2, 1, 1), 5, 7);
        Tensor w = t(List.of(4, 1, 1, 1), 1, 2, 3, 4);
        assertTensor(List.of(1, 4, 1, 1), new float[] {5, 10, 21, 28}, apply(conv(1, Pads.NONE, 1, 2), x, w));
    }

    @Test void batchesAndInputChannelsAreSummed() {
        Tensor x = iota(1, 2, 2, 1, 2); // n0: c0 [1,2] c1 [3,4]; n1: c0 [5,6] c1 [7,8]
        Tensor w = t(List.of(1, 2, 1, 1), 2, 1);
        assertTensor(List.of(2, 1, 1, 2), new float[] {5, 8, 17, 20}, apply(conv(1, Pads.NONE, 1, 1), x, w));
    }

    @Test void wrongOperandShapesAreReported() {
        Tensor w = Tensor.zeros(1, 2, 3, 3);
        var e = assertThrows(TmlRuntimeException.class, () -> apply(conv(1, Pads.NONE, 1, 1), X3, w));
        assertTrue(e.getMessage().contains("input channels"), e.getMessage());
    }

    @Test void parallelAndF64AgreeWithSerialF32() {
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = Tensor.zeros(2, 8, 11, 9), w = Tensor.zeros(12, 4, 3, 3), b = Tensor.zeros(12);
        for (Tensor t : List.of(x, w, b)) {
            for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) r.nextDouble(-1, 1);
        }
        Conv2d op = new Conv2d(new Hw(2, 1), new Pads(1, 2, 0, 1), new Hw(1, 2), 2);
        Tensor serial = new Interpreter(Accumulation.F32, false).apply(op, List.of(x, w, b));
        Tensor parallel = new Interpreter(Accumulation.F32, true).apply(op, List.of(x, w, b));
        Tensor f64 = new Interpreter(Accumulation.F64, true).apply(op, List.of(x, w, b));
        assertEquals(serial, parallel);
        assertTrue(serial.maxAbsDifference(f64) < 1e-5, "F32 and F64 accumulation differ by " + serial.maxAbsDifference(f64));
        // Spot check one output against a direct sum: n=1, oc=5 (group 0), oy=2, ox=3.
        double expected = b.data()[5];
        for (int ic = 0; ic < 4; ic++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int iy = 2 * 2 - 1 + ky, ix = 3 - 2 + 2 * kx;
                    if (iy >= 0 && iy < 11 && ix >= 0 && ix < 9) expected += (double) w.get(5, ic, ky, kx) * x.get(1, ic, iy, ix);
                }
            }
        }
        assertEquals(expected, f64.get(1, 5, 2, 3), 1e-6);
    }
}
