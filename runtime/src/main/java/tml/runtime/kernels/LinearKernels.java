package tml.runtime.kernels;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.runtime.Accumulation;
import tml.runtime.Tensor;

/** Fully connected layers and batched matrix products; each dot product is summed in index order. */
public final class LinearKernels {
    private LinearKernels() {}

    /** {@code y = x @ weight^T + bias} on the last axis of x; weight is [out, in], bias [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Accumulation acc) {
        int in = weight.dim(1), outF = weight.dim(0), rows = Broadcast.product(x.shape(), 0, x.rank() - 1);
        float[] xd = x.data(), wd = weight.data(), out = new float[rows * outF];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outF; o++) {
                float b = bias == null ? 0f : bias.data()[o];
                out[r * outF + o] = acc == Accumulation.F64
                        ? (float) (dotDouble(xd, r * in, wd, o * in, in, 1) + b)
                        : dotFloat(xd, r * in, wd, o * in, in, 1) + b;
            }
        }
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, outF);
        return Tensor.wrap(shape, out);
    }

    /** [..., m, k] @ [..., k, n] with numpy broadcasting of the batch axes. */
    public static Tensor matmul(Tensor a, Tensor b, Accumulation acc) {
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        List<Integer> batchA = a.shape().subList(0, a.rank() - 2), batchB = b.shape().subList(0, b.rank() - 2);
        ImmutableList<Integer> batch = Broadcast.shape(batchA, batchB);
        int[] dims = Broadcast.toArray(batch);
        int[] sa = Broadcast.strides(batchA, batch), sb = Broadcast.strides(batchB, batch);
        int batches = Broadcast.product(batch, 0, batch.size());
        float[] ad = a.data(), bd = b.data(), out = new float[batches * m * n];
        int[] idx = new int[dims.length];
        for (int t = 0; t < batches; t++) {
            int offA = 0, offB = 0;
            for (int i = 0; i < dims.length; i++) {
                offA += idx[i] * sa[i] * m * k;
                offB += idx[i] * sb[i] * k * n;
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    out[(t * m + i) * n + j] = acc == Accumulation.F64
                            ? (float) dotDouble(ad, offA + i * k, bd, offB + j, k, n)
                            : dotFloat(ad, offA + i * k, bd, offB + j, k, n);
                }
            }
            for (int ax = dims.length - 1; ax >= 0 && ++idx[ax] == dims[ax]; ax--) idx[ax] = 0;
        }
        List<Integer> shape = new ArrayList<>(batch);
        shape.add(m);
        shape.add(n);
        return Tensor.wrap(shape, out);
    }

    /** Sum over p of a[aOff + p] * b[bOff + p * bStride], in float. */
    private static float dotFloat(float[] a, int aOff, float[] b, int bOff, int len, int bStride) {
        float s = 0f;
        for (int p = 0; p < len; p++) s += a[aOff + p] * b[bOff + p * bStride];
        return s;
    }

    private static double dotDouble(float[] a, int aOff, float[] b, int bOff, int len, int bStride) {
        double s = 0;
        for (int p = 0; p < len; p++) s += (double) a[aOff + p] * b[bOff + p * bStride];
        return s;
    }
}
