package tml.runtime.kernels;

import java.util.List;
import tml.ir.graph.Op.Pool2d;
import tml.ir.graph.Op.PoolKind;
import tml.ir.graph.ShapeRules;
import tml.runtime.Accumulation;
import tml.runtime.Tensor;

/**
 * Max and average 2-D pooling and global average pooling of [N,C,H,W], exactly as PyTorch's CPU
 * kernels: max pooling ignores padding (pads with -inf) and propagates NaN; average pooling clips a
 * window to the padded input for the divisor, and then to the input for the sum, dividing by the
 * clipped padded window (count_include_pad) or by the number of input elements in it.
 */
public final class PoolKernels {
    private PoolKernels() {}

    public static Tensor pool2d(Pool2d op, Tensor x, Accumulation acc) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int kh = op.kernel().h(), kw = op.kernel().w(), sh = op.stride().h(), sw = op.stride().w();
        int pt = op.padding().top(), pl = op.padding().left(), pb = op.padding().bottom(), pr = op.padding().right();
        int oh = ShapeRules.windowOut(h, kh, sh, pt, pb, 1, op.ceilMode());
        int ow = ShapeRules.windowOut(w, kw, sw, pl, pr, 1, op.ceilMode());
        float[] in = x.data(), out = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            int inBase = plane * h * w, outBase = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - pt, y1 = Math.min(y0 + kh, h + pb);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pl, x1 = Math.min(x0 + kw, w + pr);
                    int padded = (y1 - y0) * (x1 - x0);
                    int ya = Math.max(y0, 0), yb = Math.min(y1, h), xa = Math.max(x0, 0), xb = Math.min(x1, w);
                    float v;
                    if (op.kind() == PoolKind.MAX) {
                        v = max(in, inBase, w, ya, yb, xa, xb);
                    } else if (ya >= yb || xa >= xb) {
                        v = 0f;
                    } else {
                        int divisor = op.countIncludePad() ? padded : (yb - ya) * (xb - xa);
                        v = acc == Accumulation.F64
                                ? (float) (sumDouble(in, inBase, w, ya, yb, xa, xb) / divisor)
                                : sumFloat(in, inBase, w, ya, yb, xa, xb) / divisor;
                    }
                    out[outBase + oy * ow + ox] = v;
                }
            }
        }
        return Tensor.wrap(List.of(n, c, oh, ow), out);
    }

    /** Mean over H and W: [N,C,H,W] to [N,C,1,1]. */
    public static Tensor globalAvgPool(Tensor x, Accumulation acc) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] in = x.data(), out = new float[n * c];
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            out[plane] = acc == Accumulation.F64
                    ? (float) (sumDouble(in, base, w, 0, h, 0, w) / (h * w))
                    : sumFloat(in, base, w, 0, h, 0, w) / (h * w);
        }
        return Tensor.wrap(List.of(n, c, 1, 1), out);
    }

    private static float max(float[] in, int base, int w, int ya, int yb, int xa, int xb) {
        float m = Float.NEGATIVE_INFINITY;
        for (int y = ya; y < yb; y++) {
            for (int xx = xa; xx < xb; xx++) {
                float v = in[base + y * w + xx];
                if (v > m || Float.isNaN(v)) m = v;
                if (Float.isNaN(m)) return m;
            }
        }
        return m;
    }

    private static float sumFloat(float[] in, int base, int w, int ya, int yb, int xa, int xb) {
        float s = 0f;
        for (int y = ya; y < yb; y++) {
            for (int xx = xa; xx < xb; xx++) s += in[base + y * w + xx];
        }
        return s;
    }

    private static double sumDouble(float[] in, int base, int w, int ya, int yb, int xa, int xb) {
        double s = 0;
        for (int y = ya; y < yb; y++) {
            for (int xx = xa; xx < xb; xx++) s += in[base + y * w + xx];
        }
        return s;
    }
}
