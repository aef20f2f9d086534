package tml.runtime.autodiff;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.runtime.kernels.Broadcast;

/** Fully connected layers and batched matrix products in float64, with their backward rules. */
final class LinearRules {
    private LinearRules() {}

    /** {@code x @ weight^T + bias} on the last axis; bias may be null. */
    static DoubleTensor linear(DoubleTensor x, DoubleTensor w, DoubleTensor bias) {
        int in = w.dim(1), outF = w.dim(0), rows = Offsets.product(x.shape(), 0, x.rank() - 1);
        double[] xd = x.data(), wd = w.data(), out = new double[rows * outF];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outF; o++) {
                double s = bias == null ? 0 : bias.data()[o];
                for (int p = 0; p < in; p++) s += xd[r * in + p] * wd[o * in + p];
                out[r * outF + o] = s;
            }
        }
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, outF);
        return DoubleTensor.wrap(shape, out);
    }

    /** Gradients of x, weight and (if {@code hasBias}) bias. */
    static DoubleTensor[] linearBackward(DoubleTensor x, DoubleTensor w, boolean hasBias, DoubleTensor g) {
        int in = w.dim(1), outF = w.dim(0), rows = Offsets.product(x.shape(), 0, x.rank() - 1);
        double[] xd = x.data(), wd = w.data(), gd = g.data();
        double[] gx = new double[xd.length], gw = new double[wd.length], gb = new double[outF];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outF; o++) {
                double d = gd[r * outF + o];
                if (d == 0) continue;
                gb[o] += d;
                for (int p = 0; p < in; p++) {
                    gx[r * in + p] += d * wd[o * in + p];
                    gw[o * in + p] += d * xd[r * in + p];
                }
            }
        }
        DoubleTensor[] out = new DoubleTensor[hasBias ? 3 : 2];
        out[0] = DoubleTensor.wrap(x.shape(), gx);
        out[1] = DoubleTensor.wrap(w.shape(), gw);
        if (hasBias) out[2] = DoubleTensor.wrap(List.of(outF), gb);
        return out;
    }

    /** The batch geometry of {@code a @ b}: broadcast batch shape and each batch's offsets into a and b. */
    private record Batches(ImmutableList<Integer> batch, int[] offA, int[] offB, int m, int k, int n) {
        static Batches of(DoubleTensor a, DoubleTensor b) {
            int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
            List<Integer> batchA = a.shape().subList(0, a.rank() - 2), batchB = b.shape().subList(0, b.rank() - 2);
            ImmutableList<Integer> batch = Broadcast.shape(batchA, batchB);
            return new Batches(batch, Offsets.of(batchA, batch), Offsets.of(batchB, batch), m, k, n);
        }

        int count() { return offA.length; }

        int a(int t) { return offA[t] * m * k; }

        int b(int t) { return offB[t] * k * n; }
    }

    /** [..., m, k] @ [..., k, n] with broadcast batch axes. */
    static DoubleTensor matmul(DoubleTensor a, DoubleTensor b) {
        Batches t = Batches.of(a, b);
        int m = t.m(), k = t.k(), n = t.n(), count = t.count();
        double[] ad = a.data(), bd = b.data(), out = new double[count * m * n];
        for (int s = 0; s < count; s++) {
            int oa = t.a(s), ob = t.b(s);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += ad[oa + i * k + p] * bd[ob + p * n + j];
                    out[(s * m + i) * n + j] = sum;
                }
            }
        }
        List<Integer> shape = new ArrayList<>(t.batch());
        shape.add(m);
        shape.add(n);
        return DoubleTensor.wrap(shape, out);
    }

    /** Gradients of a and b, each summed over the batch axes along which it was broadcast. */
    static DoubleTensor[] matmulBackward(DoubleTensor a, DoubleTensor b, DoubleTensor g) {
        Batches t = Batches.of(a, b);
        int m = t.m(), k = t.k(), n = t.n(), count = t.count();
        double[] ad = a.data(), bd = b.data(), gd = g.data(), ga = new double[ad.length], gb = new double[bd.length];
        for (int s = 0; s < count; s++) {
            int oa = t.a(s), ob = t.b(s);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double d = gd[(s * m + i) * n + j];
                    if (d == 0) continue;
                    for (int p = 0; p < k; p++) {
                        ga[oa + i * k + p] += d * bd[ob + p * n + j];
                        gb[ob + p * n + j] += d * ad[oa + i * k + p];
                    }
                }
            }
        }
        return new DoubleTensor[] {DoubleTensor.wrap(a.shape(), ga), DoubleTensor.wrap(b.shape(), gb)};
    }
}
