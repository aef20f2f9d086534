package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.stream.Collectors;

/** A tensor type with a fully known (compile-time evaluated) shape, e.g. {@code f32[1,3,224,224]}. */
public record TensorType(DType dtype, ImmutableList<Integer> shape) {
    public TensorType {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + shape);
        }
    }

    public static TensorType of(DType dtype, List<Integer> shape) {
        return new TensorType(dtype, ImmutableList.copyOf(shape));
    }

    public static TensorType f32(int... dims) {
        ImmutableList.Builder<Integer> b = ImmutableList.builder();
        for (int d : dims) b.add(d);
        return new TensorType(DType.F32, b.build());
    }

    public int rank() { return shape.size(); }

    public int dim(int axis) { return shape.get(axis < 0 ? axis + shape.size() : axis); }

    public long numel() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public long bytes() { return dtype.bytesFor(numel()); }

    public TensorType withShape(List<Integer> newShape) { return new TensorType(dtype, ImmutableList.copyOf(newShape)); }

    /** The textual form used by TML and the graph IR: {@code f32[1,3,224,224]}. */
    @Override public String toString() {
        return dtype.text() + shape.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }
}
