package tml.runtime.data;

import com.google.common.collect.ImmutableList;

/**
 * An unsigned-byte array read from an IDX file (the MNIST format): its shape, outermost first, and
 * the values in row-major order. {@code data} belongs to the record.
 */
public record IdxArray(ImmutableList<Integer> shape, byte[] data) {
    public IdxArray {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("shape " + shape + " holds " + n + " values, data has " + data.length);
    }

    /** Number of items along the first axis. */
    public int count() { return shape.isEmpty() ? 1 : shape.get(0); }

    /** Values per item (the product of all axes but the first). */
    public int itemSize() { return shape.isEmpty() ? 1 : data.length / Math.max(1, shape.get(0)); }

    /** The value at a flat index, 0..255. */
    public int at(int index) { return data[index] & 0xff; }
}
