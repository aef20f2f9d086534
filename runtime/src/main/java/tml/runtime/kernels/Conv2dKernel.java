package tml.runtime.kernels;

import java.util.List;
import java.util.stream.IntStream;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.ShapeRules;
import tml.runtime.Accumulation;
import tml.runtime.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch) with stride, asymmetric zero padding, dilation,
 * groups and an optional bias. Each output plane is accumulated in a fixed order (input channel,
 * kernel row, kernel column), so results do not depend on whether planes are computed in parallel.
 */
public final class Conv2dKernel {
    private Conv2dKernel() {}

    /** Operand shapes must already satisfy {@link ShapeRules}; {@code bias} may be null. */
    public static Tensor run(Conv2d op, Tensor x, Tensor w, Tensor bias, Accumulation acc, boolean parallel) {
        Geometry g = new Geometry(op, x, w);
        float[] out = new float[g.n * g.cout * g.oh * g.ow];
        IntStream planes = IntStream.range(0, g.n * g.cout);
        (parallel ? planes.parallel() : planes).forEach(p -> {
            int oc = p % g.cout;
            float b = bias == null ? 0f : bias.data()[oc];
            int base = p * g.oh * g.ow;
            if (acc == Accumulation.F64) {
                double[] sum = new double[g.oh * g.ow];
                g.accumulate(p / g.cout, oc, x.data(), w.data(), sum);
                for (int i = 0; i < sum.length; i++) out[base + i] = (float) (sum[i] + b);
            } else {
                float[] sum = new float[g.oh * g.ow];
                g.accumulate(p / g.cout, oc, x.data(), w.data(), sum);
                for (int i = 0; i < sum.length; i++) out[base + i] = sum[i] + b;
            }
        });
        return Tensor.wrap(List.of(g.n, g.cout, g.oh, g.ow), out);
    }

    /** The sizes of one convolution, and the loops over the taps of one output plane. */
    private static final class Geometry {
        final int n, cin, h, wd, cout, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, cinPerGroup, coutPerGroup;

        Geometry(Conv2d op, Tensor x, Tensor w) {
            n = x.dim(0); cin = x.dim(1); h = x.dim(2); wd = x.dim(3);
            cout = w.dim(0); kh = w.dim(2); kw = w.dim(3);
            sh = op.stride().h(); sw = op.stride().w();
            dh = op.dilation().h(); dw = op.dilation().w();
            pt = op.padding().top(); pl = op.padding().left();
            oh = ShapeRules.windowOut(h, kh, sh, pt, op.padding().bottom(), dh, false);
            ow = ShapeRules.windowOut(wd, kw, sw, pl, op.padding().right(), dw, false);
            cinPerGroup = cin / op.groups();
            coutPerGroup = cout / op.groups();
        }

        /** Adds every tap of output channel {@code oc} of image {@code img} into {@code sum}, in float. */
        void accumulate(int img, int oc, float[] x, float[] w, float[] sum) {
            int group = oc / coutPerGroup;
            for (int icg = 0; icg < cinPerGroup; icg++) {
                int xBase = (img * cin + group * cinPerGroup + icg) * h * wd;
                int wBase = (oc * cinPerGroup + icg) * kh * kw;
                for (int ky = 0; ky < kh; ky++) {
                    int dy = ky * dh - pt;
                    int yLo = Math.max(0, Math.ceilDiv(-dy, sh)), yHi = Math.min(oh - 1, Math.floorDiv(h - 1 - dy, sh));
                    for (int kx = 0; kx < kw; kx++) {
                        int dx = kx * dw - pl;
                        int xLo = Math.max(0, Math.ceilDiv(-dx, sw)), xHi = Math.min(ow - 1, Math.floorDiv(wd - 1 - dx, sw));
                        float wv = w[wBase + ky * kw + kx];
                        for (int oy = yLo; oy <= yHi; oy++) {
                            int xRow = xBase + (oy * sh + dy) * wd + dx, sRow = oy * ow;
                            if (sw == 1) {
                                for (int ox = xLo; ox <= xHi; ox++) sum[sRow + ox] += wv * x[xRow + ox];
                            } else {
                                for (int ox = xLo; ox <= xHi; ox++) sum[sRow + ox] += wv * x[xRow + ox * sw];
                            }
                        }
                    }
                }
            }
        }

        /** As {@link #accumulate(int, int, float[], float[], float[])}, summing in double. */
        void accumulate(int img, int oc, float[] x, float[] w, double[] sum) {
            int group = oc / coutPerGroup;
            for (int icg = 0; icg < cinPerGroup; icg++) {
                int xBase = (img * cin + group * cinPerGroup + icg) * h * wd;
                int wBase = (oc * cinPerGroup + icg) * kh * kw;
                for (int ky = 0; ky < kh; ky++) {
                    int dy = ky * dh - pt;
                    int yLo = Math.max(0, Math.ceilDiv(-dy, sh)), yHi = Math.min(oh - 1, Math.floorDiv(h - 1 - dy, sh));
                    for (int kx = 0; kx < kw; kx++) {
                        int dx = kx * dw - pl;
                        int xLo = Math.max(0, Math.ceilDiv(-dx, sw)), xHi = Math.min(ow - 1, Math.floorDiv(wd - 1 - dx, sw));
                        double wv = w[wBase + ky * kw + kx];
                        for (int oy = yLo; oy <= yHi; oy++) {
                            int xRow = xBase + (oy * sh + dy) * wd + dx, sRow = oy * ow;
                            for (int ox = xLo; ox <= xHi; ox++) sum[sRow + ox] += wv * x[xRow + ox * sw];
                        }
                    }
                }
            }
        }
    }
}
