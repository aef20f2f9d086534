package tml.runtime.kernels;

import tml.runtime.Tensor;

/** Numerically stable softmax along one axis: exp(x - max) / sum, with the exponentials and the sum in double. */
public final class SoftmaxKernel {
    private SoftmaxKernel() {}

    public static Tensor run(Tensor x, int axis) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        int outer = Broadcast.product(x.shape(), 0, ax), len = x.dim(ax);
        int inner = Broadcast.product(x.shape(), ax + 1, x.rank());
        float[] in = x.data(), out = new float[in.length];
        double[] e = new double[len];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) max = Math.max(max, in[base + j * inner]);
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    e[j] = Math.exp((double) in[base + j * inner] - max);
                    sum += e[j];
                }
                for (int j = 0; j < len; j++) out[base + j * inner] = (float) (e[j] / sum);
            }
        }
        return Tensor.wrap(x.shape(), out);
    }
}
