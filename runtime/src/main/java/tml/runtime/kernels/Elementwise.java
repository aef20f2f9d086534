package tml.runtime.kernels;

import com.google.common.collect.ImmutableList;
import java.util.List;
import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.BatchNorm;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.BinaryScalar;
import tml.ir.graph.Op.Epilogue;
import tml.ir.graph.Op.Fusion;
import tml.runtime.Tensor;

/**
 * Elementwise kernels: activations, broadcast binary ops, ops with a scalar, inference batch norm.
 * Transcendental functions are evaluated in double and rounded once to float.
 */
public final class Elementwise {
    private Elementwise() {}

    public static Tensor activation(ActKind kind, Tensor x) {
        float[] in = x.data(), out = new float[in.length];
        for (int i = 0; i < in.length; i++) out[i] = activation(kind, in[i]);
        return Tensor.wrap(x.shape(), out);
    }

    /** One activation as PyTorch computes it in float32 (NaN propagates). */
    public static float activation(ActKind kind, float x) {
        return switch (kind) {
            case RELU -> x < 0f ? 0f : x;
            case RELU6 -> relu6(x);
            case HARDSWISH -> x * relu6(x + 3f) / 6f;
            case HARDSIGMOID -> relu6(x + 3f) / 6f;
            case SIGMOID -> (float) sigmoid(x);
            case SILU -> (float) (x * sigmoid(x));
            case TANH -> (float) Math.tanh(x);
        };
    }

    private static float relu6(float x) { return x < 0f ? 0f : (x > 6f ? 6f : x); }

    private static double sigmoid(double x) { return 1.0 / (1.0 + Math.exp(-x)); }

    public static float apply(BinKind kind, float a, float b) {
        return switch (kind) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    /** {@code a OP b} with numpy broadcasting. */
    public static Tensor binary(BinKind kind, Tensor a, Tensor b) {
        ImmutableList<Integer> shape = Broadcast.shape(a.shape(), b.shape());
        int r = shape.size();
        float[] ad = a.data(), bd = b.data();
        float[] out = new float[Math.toIntExact(Tensor.numel(shape))];
        if (out.length == 0) return Tensor.wrap(shape, out);
        if (r == 0) {
            out[0] = apply(kind, ad[0], bd[0]);
            return Tensor.wrap(shape, out);
        }
        int[] dims = Broadcast.toArray(shape);
        int[] sa = Broadcast.strides(a.shape(), shape), sb = Broadcast.strides(b.shape(), shape);
        int inner = dims[r - 1], ia = sa[r - 1], ib = sb[r - 1];
        int[] idx = new int[r];
        int offA = 0, offB = 0;
        for (int o = 0; o < out.length; o += inner) {
            for (int j = 0; j < inner; j++) out[o + j] = apply(kind, ad[offA + j * ia], bd[offB + j * ib]);
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                offA += sa[ax];
                offB += sb[ax];
                if (idx[ax] < dims[ax]) break;
                offA -= sa[ax] * dims[ax];
                offB -= sb[ax] * dims[ax];
                idx[ax] = 0;
            }
        }
        return Tensor.wrap(shape, out);
    }

    /** {@code x OP s} or {@code s OP x}; the scalar is first rounded to float, as PyTorch does for a float tensor. */
    public static Tensor binaryScalar(BinaryScalar op, Tensor x) {
        float s = (float) op.scalar();
        float[] in = x.data(), out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = op.scalarLeft() ? apply(op.kind(), s, in[i]) : apply(op.kind(), in[i], s);
        }
        return Tensor.wrap(x.shape(), out);
    }

    /**
     * The fused elementwise work of a conv2d or linear on its result {@code y}: the epilogue (with the
     * last of {@code operands} or a scalar), then the activation, each rounded to float exactly as the
     * separate {@code binary}, {@code binaryScalar} and {@code activation} kernels round.
     */
    public static Tensor fusion(Fusion f, Tensor y, List<Tensor> operands) {
        Tensor out = switch (f.epilogue().orElse(null)) {
            case null -> y;
            case Epilogue.WithOperand e -> binary(e.kind(), y, operands.get(operands.size() - 1));
            case Epilogue.WithScalar e -> binaryScalar(new BinaryScalar(e.kind(), e.scalar(), false), y);
        };
        return f.activation().isPresent() ? activation(f.activation().get(), out) : out;
    }

    /** Inference batch norm over axis 1: {@code (x - mean) / sqrt(var + eps) * weight + bias}, in double. */
    public static Tensor batchNorm(BatchNorm op, Tensor x, Tensor weight, Tensor bias, Tensor mean, Tensor var) {
        int n = x.dim(0), c = x.dim(1);
        int inner = Broadcast.product(x.shape(), 2, x.rank());
        float[] in = x.data(), out = new float[in.length];
        for (int ch = 0; ch < c; ch++) {
            double m = mean.data()[ch], sd = Math.sqrt((double) var.data()[ch] + op.eps());
            double w = weight.data()[ch], b = bias.data()[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int j = base; j < base + inner; j++) out[j] = (float) ((in[j] - m) / sd * w + b);
            }
        }
        return Tensor.wrap(x.shape(), out);
    }
}
