package tml.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import tml.ir.graph.Op;

/** Shortcuts for the op tests: apply one op through the interpreter, build tensors, compare. */
final class OpTesting {
    private OpTesting() {}

    static Tensor apply(Op op, Tensor... operands) {
        return new Interpreter(Accumulation.F32, false).apply(op, List.of(operands));
    }

    static Tensor t(List<Integer> shape, float... data) { return Tensor.of(shape, data); }

    /** 0, 1, 2, ... (or offset + i) in the given shape. */
    static Tensor iota(float offset, Integer... shape) {
        Tensor t = Tensor.zeros(List.of(shape));
        for (int i = 0; i < t.numel(); i++) t.data()[i] = offset + i;
        return t;
    }

    static void assertTensor(List<Integer> shape, float[] expected, Tensor actual) {
        assertEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.data(), 1e-6f);
    }
}
