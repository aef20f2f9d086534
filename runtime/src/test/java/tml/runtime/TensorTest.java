package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.TensorType;

class TensorTest {
    @Test void zerosHasShapeAndZeros() {
        Tensor t = Tensor.zeros(2, 3);
        assertEquals(List.of(2, 3), t.shape());
        assertEquals(6, t.numel());
        assertArrayEquals(new float[6], t.data());
        assertEquals(TensorType.f32(2, 3), t.type());
    }

    @Test void getAndSetAreRowMajor() {
        Tensor t = Tensor.of(List.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertEquals(6f, t.get(1, 2));
        assertEquals(2f, t.get(0, 1));
        assertEquals(4f, t.get(1, 0));
        t.set(new int[] {1, 1}, 9f);
        assertEquals(9f, t.data()[4]);
    }

    @Test void ofCopiesButWrapShares() {
        float[] data = {1, 2};
        Tensor copied = Tensor.of(List.of(2), data);
        Tensor wrapped = Tensor.wrap(List.of(2), data);
        data[0] = 7;
        assertEquals(1f, copied.get(0));
        assertEquals(7f, wrapped.get(0));
    }

    @Test void reshapeResolvesMinusOneAndSharesData() {
        Tensor t = Tensor.of(List.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor r = t.reshape(3, -1);
        assertEquals(List.of(3, 2), r.shape());
        assertEquals(4f, r.get(1, 1));
        assertSame(t.data(), r.data());
    }

    @Test void badShapesAndIndicesAreReported() {
        assertThrows(TmlRuntimeException.class, () -> Tensor.of(List.of(2, 2), 1, 2, 3));
        assertThrows(TmlRuntimeException.class, () -> Tensor.zeros(2, -1));
        Tensor t = Tensor.zeros(2, 3);
        var e = assertThrows(TmlRuntimeException.class, () -> t.reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(TmlRuntimeException.class, () -> t.reshape(4, -1));
        assertThrows(TmlRuntimeException.class, () -> t.get(2, 0));
        assertThrows(TmlRuntimeException.class, () -> t.get(0));
    }

    @Test void scalarHasRankZero() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(0, s.rank());
        assertEquals(3f, s.get());
    }

    @Test void equalityIsByShapeAndValues() {
        assertEquals(Tensor.of(List.of(2), 1, 2), Tensor.vector(1, 2));
        assertNotEquals(Tensor.of(List.of(2, 1), 1, 2), Tensor.vector(1, 2));
        assertNotEquals(Tensor.vector(1, 3), Tensor.vector(1, 2));
        assertEquals(1.0, Tensor.vector(1, 2).maxAbsDifference(Tensor.vector(1, 3)));
    }
}
