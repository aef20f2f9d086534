package tml.runtime;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import tml.ir.graph.DType;
import tml.ir.graph.TensorType;

/**
 * A dense float32 tensor in row-major (C) order. Immutable by convention: once a tensor has been
 * handed to someone else, nobody writes to it. {@link #set} and {@link #data()} exist for the code
 * that builds a fresh tensor. {@link #reshape} shares the data.
 */
public final class Tensor {
    private final ImmutableList<Integer> shape;
    private final int[] dims;
    private final float[] data;

    private Tensor(ImmutableList<Integer> shape, float[] data) {
        this.shape = shape;
        this.dims = shape.stream().mapToInt(Integer::intValue).toArray();
        long n = numel(shape);
        if (n != data.length) {
            throw new TmlRuntimeException("a tensor of shape " + shape + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
    }

    /** A tensor of the given shape filled with zeros. */
    public static Tensor zeros(List<Integer> shape) {
        ImmutableList<Integer> s = checkShape(shape);
        return new Tensor(s, new float[Math.toIntExact(numel(s))]);
    }

    public static Tensor zeros(int... shape) { return zeros(toList(shape)); }

    /** A tensor filled with {@code value}. */
    public static Tensor full(List<Integer> shape, float value) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** A tensor with a copy of {@code data}, which must hold exactly numel(shape) values. */
    public static Tensor of(List<Integer> shape, float... data) {
        return new Tensor(checkShape(shape), data.clone());
    }

    /** A tensor that takes ownership of {@code data} without copying it: the caller must not touch it afterwards. */
    public static Tensor wrap(List<Integer> shape, float[] data) {
        return new Tensor(checkShape(shape), data);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(float value) { return new Tensor(ImmutableList.of(), new float[] {value}); }

    /** A rank-1 tensor holding a copy of {@code values}. */
    public static Tensor vector(float... values) { return of(List.of(values.length), values); }

    public ImmutableList<Integer> shape() { return shape; }

    public int rank() { return dims.length; }

    /** The extent of {@code axis}; a negative axis counts from the end. */
    public int dim(int axis) { return dims[axis < 0 ? axis + dims.length : axis]; }

    public int numel() { return data.length; }

    /** The float32 type of this tensor, as the graph IR writes it. */
    public TensorType type() { return new TensorType(DType.F32, shape); }

    /** The backing array, row-major. Read it freely; write it only while building a fresh tensor. */
    public float[] data() { return data; }

    /** The row-major offset of a full index. */
    public int offset(int... index) {
        if (index.length != dims.length) {
            throw new TmlRuntimeException("index " + Arrays.toString(index) + " has " + index.length
                    + " entries but the tensor " + shape + " has rank " + dims.length);
        }
        int off = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new TmlRuntimeException("index " + Arrays.toString(index) + " is out of bounds for shape " + shape);
            }
            off = off * dims[i] + index[i];
        }
        return off;
    }

    public float get(int... index) { return data[offset(index)]; }

    /** Writes one element; for code that is building this tensor. */
    public void set(int[] index, float value) { data[offset(index)] = value; }

    /** The same data viewed with a new shape of the same element count; one entry may be -1. */
    public Tensor reshape(List<Integer> newShape) {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < newShape.size(); i++) {
            int d = newShape.get(i);
            if (d == -1 && unknown < 0) {
                unknown = i;
            } else if (d < 0) {
                throw new TmlRuntimeException("cannot reshape " + shape + " to " + newShape + ": bad dimension " + d);
            } else {
                known *= d;
            }
        }
        List<Integer> resolved = new java.util.ArrayList<>(newShape);
        if (unknown >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new TmlRuntimeException("cannot reshape " + shape + " (" + data.length + " elements) to " + newShape);
            }
            resolved.set(unknown, Math.toIntExact(data.length / known));
        }
        if (numel(resolved) != data.length) {
            throw new TmlRuntimeException("cannot reshape " + shape + " (" + data.length + " elements) to " + newShape
                    + " (" + numel(resolved) + " elements)");
        }
        return new Tensor(ImmutableList.copyOf(resolved), data);
    }

    public Tensor reshape(int... newShape) { return reshape(toList(newShape)); }

    /** A deep copy, safe to modify. */
    public Tensor copy() { return new Tensor(shape, data.clone()); }

    /** The largest absolute elementwise difference to a tensor of the same shape (NaN if either holds NaN). */
    public double maxAbsDifference(Tensor other) {
        if (!shape.equals(other.shape)) {
            throw new TmlRuntimeException("cannot compare tensors of shapes " + shape + " and " + other.shape);
        }
        double max = 0;
        for (int i = 0; i < data.length; i++) {
            double d = Math.abs((double) data[i] - other.data[i]);
            if (Double.isNaN(d)) return Double.NaN;
            max = Math.max(max, d);
        }
        return max;
    }

    public static long numel(List<Integer> shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static ImmutableList<Integer> checkShape(List<Integer> shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new TmlRuntimeException("negative dimension in shape " + shape);
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new TmlRuntimeException("a tensor of shape " + shape + " has too many elements for one array");
            }
        }
        return ImmutableList.copyOf(shape);
    }

    private static ImmutableList<Integer> toList(int[] dims) {
        ImmutableList.Builder<Integer> b = ImmutableList.builder();
        for (int d : dims) b.add(d);
        return b.build();
    }

    /** Equal shapes and bitwise-equal values (as {@link Arrays#equals(float[], float[])}). */
    @Override public boolean equals(Object o) {
        return o instanceof Tensor t && shape.equals(t.shape) && Arrays.equals(data, t.data);
    }

    @Override public int hashCode() { return 31 * shape.hashCode() + Arrays.hashCode(data); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
        int show = Math.min(data.length, 8);
        for (int i = 0; i < show; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
        if (show < data.length) sb.append(", ... (").append(data.length).append(" values)");
        return sb.append(']').toString();
    }
}
