package tml.runtime.autodiff;

import java.util.List;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.ShapeRules;

/**
 * 2-D convolution (cross-correlation) in float64 with stride, asymmetric zero padding, dilation,
 * groups and an optional bias, and its backward rule: the gradients of the input, the weight and
 * the bias visit the same taps as the forward sum.
 */
final class ConvRules {
    private ConvRules() {}

    /** One convolution's sizes; {@link #forEachTap} visits every (output, input, weight) triple. */
    private record Geometry(int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int dh, int dw,
                            int pt, int pl, int oh, int ow, int cinPerGroup, int coutPerGroup) {
        static Geometry of(Conv2d op, List<Integer> x, List<Integer> wt) {
            int h = x.get(2), w = x.get(3), kh = wt.get(2), kw = wt.get(3);
            int oh = ShapeRules.windowOut(h, kh, op.stride().h(), op.padding().top(), op.padding().bottom(), op.dilation().h(), false);
            int ow = ShapeRules.windowOut(w, kw, op.stride().w(), op.padding().left(), op.padding().right(), op.dilation().w(), false);
            return new Geometry(x.get(0), x.get(1), h, w, wt.get(0), kh, kw, op.stride().h(), op.stride().w(), op.dilation().h(),
                    op.dilation().w(), op.padding().top(), op.padding().left(), oh, ow, x.get(1) / op.groups(), wt.get(0) / op.groups());
        }

        interface Tap {
            void visit(int out, int in, int weight, int outChannel);
        }

        void forEachTap(Tap tap) {
            for (int img = 0; img < n; img++) {
                for (int oc = 0; oc < cout; oc++) {
                    int group = oc / coutPerGroup;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int o = ((img * cout + oc) * oh + oy) * ow + ox;
                            for (int icg = 0; icg < cinPerGroup; icg++) {
                                int ic = group * cinPerGroup + icg;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * sh + ky * dh - pt;
                                    if (iy < 0 || iy >= h) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ox * sw + kx * dw - pl;
                                        if (ix < 0 || ix >= w) continue;
                                        tap.visit(o, ((img * cin + ic) * h + iy) * w + ix, ((oc * cinPerGroup + icg) * kh + ky) * kw + kx, oc);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The convolution with its bias (null: none), without fused work. */
    static DoubleTensor forward(Conv2d op, DoubleTensor x, DoubleTensor w, DoubleTensor bias) {
        Geometry g = Geometry.of(op, x.shape(), w.shape());
        double[] out = new double[g.n() * g.cout() * g.oh() * g.ow()];
        double[] xd = x.data(), wd = w.data();
        g.forEachTap((o, i, k, oc) -> out[o] += wd[k] * xd[i]);
        if (bias != null) {
            int plane = g.oh() * g.ow();
            for (int p = 0; p < g.n() * g.cout(); p++) {
                double b = bias.data()[p % g.cout()];
                for (int j = p * plane; j < (p + 1) * plane; j++) out[j] += b;
            }
        }
        return DoubleTensor.wrap(List.of(g.n(), g.cout(), g.oh(), g.ow()), out);
    }

    /** Gradients of x, the weight and (when {@code hasBias}) the bias, from the gradient of the result. */
    static DoubleTensor[] backward(Conv2d op, DoubleTensor x, DoubleTensor w, boolean hasBias, DoubleTensor gOut) {
        Geometry g = Geometry.of(op, x.shape(), w.shape());
        double[] xd = x.data(), wd = w.data(), gd = gOut.data();
        double[] gx = new double[xd.length], gw = new double[wd.length];
        g.forEachTap((o, i, k, oc) -> {
            gx[i] += gd[o] * wd[k];
            gw[k] += gd[o] * xd[i];
        });
        DoubleTensor[] out = new DoubleTensor[hasBias ? 3 : 2];
        out[0] = DoubleTensor.wrap(x.shape(), gx);
        out[1] = DoubleTensor.wrap(w.shape(), gw);
        if (hasBias) {
            double[] gb = new double[g.cout()];
            int plane = g.oh() * g.ow();
            for (int p = 0; p < g.n() * g.cout(); p++) {
                for (int j = p * plane; j < (p + 1) * plane; j++) gb[p % g.cout()] += gd[j];
            }
            out[2] = DoubleTensor.wrap(List.of(g.cout()), gb);
        }
        return out;
    }
}
