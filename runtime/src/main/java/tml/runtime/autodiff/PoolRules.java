package tml.runtime.autodiff;

import java.util.List;
import tml.ir.graph.Op.Pool2d;
import tml.ir.graph.Op.PoolKind;
import tml.ir.graph.ShapeRules;

/**
 * Max and average 2-D pooling and global average pooling in float64, with the windows of the
 * interpreter's {@code PoolKernels} (PyTorch's): padding, ceil mode and count_include_pad included.
 * Max pooling sends the gradient to the first largest element of each window (the one the forward
 * pass picks; a NaN wins); average pooling spreads it over the window's input elements, divided by
 * the same divisor as the forward pass.
 */
final class PoolRules {
    private PoolRules() {}

    /** Visits each output element of each plane with its clipped window and divisor. */
    private interface Window {
        void visit(int plane, int out, int ya, int yb, int xa, int xb, int divisor);
    }

    private static int[] outSize(Pool2d op, int h, int w) {
        return new int[] {
            ShapeRules.windowOut(h, op.kernel().h(), op.stride().h(), op.padding().top(), op.padding().bottom(), 1, op.ceilMode()),
            ShapeRules.windowOut(w, op.kernel().w(), op.stride().w(), op.padding().left(), op.padding().right(), 1, op.ceilMode())};
    }

    private static void windows(Pool2d op, List<Integer> x, Window v) {
        int planes = x.get(0) * x.get(1), h = x.get(2), w = x.get(3);
        int[] o = outSize(op, h, w);
        int oh = o[0], ow = o[1];
        int kh = op.kernel().h(), kw = op.kernel().w(), sh = op.stride().h(), sw = op.stride().w();
        int pt = op.padding().top(), pl = op.padding().left(), pb = op.padding().bottom(), pr = op.padding().right();
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - pt, y1 = Math.min(y0 + kh, h + pb);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pl, x1 = Math.min(x0 + kw, w + pr);
                    int ya = Math.max(y0, 0), yb = Math.min(y1, h), xa = Math.max(x0, 0), xb = Math.min(x1, w);
                    int divisor = op.countIncludePad() ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
                    v.visit(p, (p * oh + oy) * ow + ox, ya, yb, xa, xb, divisor);
                }
            }
        }
    }

    /** The index (in the input) of the element a max window picks, or -1 for an empty window. */
    private static int argmax(double[] in, int base, int w, int ya, int yb, int xa, int xb) {
        int best = -1;
        double m = Double.NEGATIVE_INFINITY;
        for (int y = ya; y < yb; y++) {
            for (int x = xa; x < xb; x++) {
                int i = base + y * w + x;
                if (best < 0 || in[i] > m || Double.isNaN(in[i])) {
                    best = i;
                    m = in[i];
                    if (Double.isNaN(m)) return best;
                }
            }
        }
        return best;
    }

    static DoubleTensor pool(Pool2d op, DoubleTensor x) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int[] o = outSize(op, h, w);
        double[] in = x.data(), out = new double[n * c * o[0] * o[1]];
        windows(op, x.shape(), (p, oi, ya, yb, xa, xb, divisor) -> {
            int base = p * h * w;
            if (op.kind() == PoolKind.MAX) {
                int i = argmax(in, base, w, ya, yb, xa, xb);
                out[oi] = i < 0 ? Double.NEGATIVE_INFINITY : in[i];
            } else if (ya < yb && xa < xb) {
                double s = 0;
                for (int y = ya; y < yb; y++) for (int xx = xa; xx < xb; xx++) s += in[base + y * w + xx];
                out[oi] = s / divisor;
            }
        });
        return DoubleTensor.wrap(List.of(n, c, o[0], o[1]), out);
    }

    static DoubleTensor poolBackward(Pool2d op, DoubleTensor x, DoubleTensor g) {
        int h = x.dim(2), w = x.dim(3);
        double[] in = x.data(), gd = g.data(), gx = new double[in.length];
        windows(op, x.shape(), (p, oi, ya, yb, xa, xb, divisor) -> {
            int base = p * h * w;
            if (op.kind() == PoolKind.MAX) {
                int i = argmax(in, base, w, ya, yb, xa, xb);
                if (i >= 0) gx[i] += gd[oi];
            } else if (ya < yb && xa < xb) {
                double d = gd[oi] / divisor;
                for (int y = ya; y < yb; y++) for (int xx = xa; xx < xb; xx++) gx[base + y * w + xx] += d;
            }
        });
        return DoubleTensor.wrap(x.shape(), gx);
    }

    static DoubleTensor globalAvgPool(DoubleTensor x) {
        int planes = x.dim(0) * x.dim(1), hw = x.dim(2) * x.dim(3);
        double[] in = x.data(), out = new double[planes];
        for (int p = 0; p < planes; p++) {
            double s = 0;
            for (int j = p * hw; j < (p + 1) * hw; j++) s += in[j];
            out[p] = s / hw;
        }
        return DoubleTensor.wrap(List.of(x.dim(0), x.dim(1), 1, 1), out);
    }

    static DoubleTensor globalAvgPoolBackward(DoubleTensor x, DoubleTensor g) {
        int planes = x.dim(0) * x.dim(1), hw = x.dim(2) * x.dim(3);
        double[] gd = g.data(), gx = new double[x.numel()];
        for (int p = 0; p < planes; p++) {
            for (int j = p * hw; j < (p + 1) * hw; j++) gx[j] = gd[p] / hw;
        }
        return DoubleTensor.wrap(x.shape(), gx);
    }
}
