package tml.runtime.autodiff;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import tml.ir.graph.DType;
import tml.ir.graph.TensorType;
import tml.runtime.Tensor;

/**
 * A dense float64 tensor in row-major order: the values and gradients of {@link Autodiff}.
 * Immutable by convention once handed on; {@link #data()} is written only by the code that made it.
 */
public final class DoubleTensor {
    private final ImmutableList<Integer> shape;
    private final double[] data;

    private DoubleTensor(ImmutableList<Integer> shape, double[] data) {
        if (Tensor.numel(shape) != data.length) throw new IllegalArgumentException("shape " + shape + " needs " + Tensor.numel(shape) + " values, got " + data.length);
        this.shape = shape;
        this.data = data;
    }

    /** Takes {@code data} without copying. */
    public static DoubleTensor wrap(List<Integer> shape, double[] data) { return new DoubleTensor(ImmutableList.copyOf(shape), data); }

    public static DoubleTensor zeros(List<Integer> shape) {
        long n = Tensor.numel(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of shape " + shape + " is too large");
        return new DoubleTensor(ImmutableList.copyOf(shape), new double[(int) n]);
    }

    public static DoubleTensor of(List<Integer> shape, double... values) { return new DoubleTensor(ImmutableList.copyOf(shape), values.clone()); }

    /** The float32 tensor's values, widened. */
    public static DoubleTensor of(Tensor t) {
        double[] d = new double[t.numel()];
        for (int i = 0; i < d.length; i++) d[i] = t.data()[i];
        return new DoubleTensor(t.shape(), d);
    }

    /** Rounded to float32. */
    public Tensor toTensor() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return Tensor.wrap(shape, f);
    }

    public ImmutableList<Integer> shape() { return shape; }

    public int rank() { return shape.size(); }

    public int dim(int axis) { return shape.get(axis < 0 ? axis + shape.size() : axis); }

    public int numel() { return data.length; }

    public double[] data() { return data; }

    /** The type used to re-infer shapes with the graph IR's rules (float32 nominally). */
    TensorType type() { return new TensorType(DType.F32, shape); }

    /** The same values with another shape of the same size (shares the data). */
    public DoubleTensor reshape(List<Integer> newShape) { return new DoubleTensor(ImmutableList.copyOf(newShape), data); }

    public DoubleTensor copy() { return new DoubleTensor(shape, data.clone()); }

    /** Adds {@code other} (same shape) into this tensor's data. */
    void addInPlace(DoubleTensor other) {
        if (!shape.equals(other.shape)) throw new IllegalArgumentException("cannot add " + other.shape + " into " + shape);
        double[] o = other.data;
        for (int i = 0; i < data.length; i++) data[i] += o[i];
    }

    @Override public boolean equals(Object o) { return o instanceof DoubleTensor t && shape.equals(t.shape) && Arrays.equals(data, t.data); }

    @Override public int hashCode() { return 31 * shape.hashCode() + Arrays.hashCode(data); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("DoubleTensor").append(shape).append(" [");
        for (int i = 0; i < Math.min(8, data.length); i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
        if (data.length > 8) sb.append(", ... (").append(data.length).append(" values)");
        return sb.append(']').toString();
    }
}
