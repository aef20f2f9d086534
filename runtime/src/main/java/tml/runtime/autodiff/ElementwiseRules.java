package tml.runtime.autodiff;

import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.BatchNorm;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.BinaryScalar;
import tml.runtime.kernels.Broadcast;

/**
 * Forward and backward rules in float64 of the elementwise ops: activations, broadcasting binary
 * ops, ops with a scalar and inference batch norm. At the kinks of the piecewise activations the
 * derivative is PyTorch's: relu' (0) = 0, relu6' = 1 only strictly inside (0, 6), hardsigmoid' = 1/6
 * strictly inside (-3, 3), hardswish' = x/3 + 1/2 on [-3, 3].
 */
final class ElementwiseRules {
    private ElementwiseRules() {}

    static double activation(ActKind k, double x) {
        return switch (k) {
            case RELU -> x < 0 ? 0 : x;
            case RELU6 -> relu6(x);
            case HARDSWISH -> x * relu6(x + 3) / 6;
            case HARDSIGMOID -> relu6(x + 3) / 6;
            case SIGMOID -> sigmoid(x);
            case SILU -> x * sigmoid(x);
            case TANH -> Math.tanh(x);
        };
    }

    /** d act(x) / dx. */
    static double derivative(ActKind k, double x) {
        return switch (k) {
            case RELU -> x > 0 ? 1 : 0;
            case RELU6 -> x > 0 && x < 6 ? 1 : 0;
            case HARDSWISH -> x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1;
            case HARDSIGMOID -> x > -3 && x < 3 ? 1.0 / 6 : 0;
            case SIGMOID -> {
                double s = sigmoid(x);
                yield s * (1 - s);
            }
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1 + x * (1 - s));
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
        };
    }

    private static double relu6(double x) { return x < 0 ? 0 : x > 6 ? 6 : x; }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    static DoubleTensor activation(ActKind k, DoubleTensor x) {
        double[] in = x.data(), out = new double[in.length];
        for (int i = 0; i < in.length; i++) out[i] = activation(k, in[i]);
        return DoubleTensor.wrap(x.shape(), out);
    }

    static DoubleTensor activationBackward(ActKind k, DoubleTensor x, DoubleTensor g) {
        double[] in = x.data(), gd = g.data(), out = new double[in.length];
        for (int i = 0; i < in.length; i++) out[i] = gd[i] * derivative(k, in[i]);
        return DoubleTensor.wrap(x.shape(), out);
    }

    static double apply(BinKind k, double a, double b) {
        return switch (k) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    static DoubleTensor binary(BinKind k, DoubleTensor a, DoubleTensor b) {
        var shape = Broadcast.shape(a.shape(), b.shape());
        int[] oa = Offsets.of(a.shape(), shape), ob = Offsets.of(b.shape(), shape);
        double[] ad = a.data(), bd = b.data(), out = new double[oa.length];
        for (int i = 0; i < out.length; i++) out[i] = apply(k, ad[oa[i]], bd[ob[i]]);
        return DoubleTensor.wrap(shape, out);
    }

    /** Gradients of both operands, summed over the axes along which each was broadcast. */
    static DoubleTensor[] binaryBackward(BinKind k, DoubleTensor a, DoubleTensor b, DoubleTensor g) {
        int[] oa = Offsets.of(a.shape(), g.shape()), ob = Offsets.of(b.shape(), g.shape());
        double[] ad = a.data(), bd = b.data(), gd = g.data();
        double[] ga = new double[ad.length], gb = new double[bd.length];
        for (int i = 0; i < gd.length; i++) {
            double x = ad[oa[i]], y = bd[ob[i]], d = gd[i];
            switch (k) {
                case ADD -> { ga[oa[i]] += d; gb[ob[i]] += d; }
                case SUB -> { ga[oa[i]] += d; gb[ob[i]] -= d; }
                case MUL -> { ga[oa[i]] += d * y; gb[ob[i]] += d * x; }
                case DIV -> { ga[oa[i]] += d / y; gb[ob[i]] -= d * x / (y * y); }
            }
        }
        return new DoubleTensor[] {DoubleTensor.wrap(a.shape(), ga), DoubleTensor.wrap(b.shape(), gb)};
    }

    /** The scalar is rounded to float first, as the interpreter does. */
    static DoubleTensor scalar(BinaryScalar op, DoubleTensor x) {
        double s = (float) op.scalar();
        double[] in = x.data(), out = new double[in.length];
        for (int i = 0; i < in.length; i++) out[i] = op.scalarLeft() ? apply(op.kind(), s, in[i]) : apply(op.kind(), in[i], s);
        return DoubleTensor.wrap(x.shape(), out);
    }

    static DoubleTensor scalarBackward(BinaryScalar op, DoubleTensor x, DoubleTensor g) {
        double s = (float) op.scalar();
        double[] in = x.data(), gd = g.data(), out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = gd[i] * switch (op.kind()) {
                case ADD -> 1;
                case SUB -> op.scalarLeft() ? -1 : 1;
                case MUL -> s;
                case DIV -> op.scalarLeft() ? -s / (in[i] * in[i]) : 1 / s;
            };
        }
        return DoubleTensor.wrap(x.shape(), out);
    }

    /** {@code (x - mean) / sqrt(var + eps) * weight + bias} over axis 1. */
    static DoubleTensor batchNorm(BatchNorm op, DoubleTensor x, DoubleTensor w, DoubleTensor b, DoubleTensor mean, DoubleTensor var) {
        int n = x.dim(0), c = x.dim(1), inner = Offsets.product(x.shape(), 2, x.rank());
        double[] in = x.data(), out = new double[in.length];
        for (int ch = 0; ch < c; ch++) {
            double m = mean.data()[ch], sd = Math.sqrt(var.data()[ch] + op.eps()), wc = w.data()[ch], bc = b.data()[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int j = base; j < base + inner; j++) out[j] = (in[j] - m) / sd * wc + bc;
            }
        }
        return DoubleTensor.wrap(x.shape(), out);
    }

    /** Gradients of x, weight, bias, running_mean and running_var. */
    static DoubleTensor[] batchNormBackward(BatchNorm op, DoubleTensor x, DoubleTensor w, DoubleTensor mean, DoubleTensor var, DoubleTensor g) {
        int n = x.dim(0), c = x.dim(1), inner = Offsets.product(x.shape(), 2, x.rank());
        double[] in = x.data(), gd = g.data(), gx = new double[in.length];
        double[] gw = new double[c], gb = new double[c], gm = new double[c], gv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = mean.data()[ch], v = var.data()[ch] + op.eps(), sd = Math.sqrt(v), wc = w.data()[ch];
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int j = base; j < base + inner; j++) {
                    gx[j] = gd[j] * wc / sd;
                    sumG += gd[j];
                    sumGx += gd[j] * (in[j] - m);
                }
            }
            gw[ch] = sumGx / sd;
            gb[ch] = sumG;
            gm[ch] = -sumG * wc / sd;
            gv[ch] = -0.5 * sumGx * wc / (v * sd);
        }
        var cs = java.util.List.of(c);
        return new DoubleTensor[] {DoubleTensor.wrap(x.shape(), gx), DoubleTensor.wrap(cs, gw), DoubleTensor.wrap(cs, gb),
                DoubleTensor.wrap(cs, gm), DoubleTensor.wrap(cs, gv)};
    }
}
