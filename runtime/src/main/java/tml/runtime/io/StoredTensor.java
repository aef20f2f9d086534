package tml.runtime.io;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import tml.runtime.Tensor;

/**
 * A tensor read from a file: its name, the element type the file stored (as the file spells it,
 * e.g. "BF16" or "&lt;i8"), its shape, and its values converted to float32.
 */
public record StoredTensor(String name, String dtype, StorageType storage, ImmutableList<Integer> shape, float[] data) {
    public Tensor toTensor() { return Tensor.wrap(shape, data); }

    @Override public boolean equals(Object o) {
        return o instanceof StoredTensor s && name.equals(s.name) && dtype.equals(s.dtype) && storage == s.storage
                && shape.equals(s.shape) && Arrays.equals(data, s.data);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(data); }

    @Override public String toString() { return name + ": " + dtype + shape; }
}
