package tml.runtime.autodiff;

import java.util.ArrayList;
import java.util.List;

/**
 * Data-movement ops (concat, channel shuffle, constant padding; reshape and flatten only relabel the
 * shape) and softmax in float64, with their backward rules: each moves the gradient back the way
 * the forward pass moved the values.
 */
final class LayoutRules {
    private LayoutRules() {}

    static DoubleTensor concat(List<DoubleTensor> xs, int axis) {
        DoubleTensor first = xs.get(0);
        int ax = axis < 0 ? axis + first.rank() : axis;
        int outer = Offsets.product(first.shape(), 0, ax), inner = Offsets.product(first.shape(), ax + 1, first.rank());
        int total = xs.stream().mapToInt(t -> t.dim(ax)).sum();
        double[] out = new double[outer * total * inner];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (DoubleTensor t : xs) {
                int block = t.dim(ax) * inner;
                System.arraycopy(t.data(), o * block, out, at, block);
                at += block;
            }
        }
        List<Integer> shape = new ArrayList<>(first.shape());
        shape.set(ax, total);
        return DoubleTensor.wrap(shape, out);
    }

    /** The gradient of each operand: its slice of the result's gradient. */
    static DoubleTensor[] concatBackward(List<DoubleTensor> xs, int axis, DoubleTensor g) {
        DoubleTensor first = xs.get(0);
        int ax = axis < 0 ? axis + first.rank() : axis;
        int outer = Offsets.product(first.shape(), 0, ax), inner = Offsets.product(first.shape(), ax + 1, first.rank());
        double[][] parts = new double[xs.size()][];
        for (int i = 0; i < parts.length; i++) parts[i] = new double[xs.get(i).numel()];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < parts.length; i++) {
                int block = xs.get(i).dim(ax) * inner;
                System.arraycopy(g.data(), at, parts[i], o * block, block);
                at += block;
            }
        }
        DoubleTensor[] out = new DoubleTensor[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = DoubleTensor.wrap(xs.get(i).shape(), parts[i]);
        return out;
    }

    /** Output channel {@code j*g + i} is input channel {@code i*(C/g) + j}; {@code inverse} moves values back. */
    static DoubleTensor channelShuffle(DoubleTensor x, int groups, boolean inverse) {
        int n = x.dim(0), c = x.dim(1), plane = x.dim(2) * x.dim(3), perGroup = c / groups;
        double[] in = x.data(), out = new double[in.length];
        for (int img = 0; img < n; img++) {
            for (int i = 0; i < groups; i++) {
                for (int j = 0; j < perGroup; j++) {
                    int from = (img * c + i * perGroup + j) * plane, to = (img * c + j * groups + i) * plane;
                    if (inverse) System.arraycopy(in, to, out, from, plane);
                    else System.arraycopy(in, from, out, to, plane);
                }
            }
        }
        return DoubleTensor.wrap(x.shape(), out);
    }

    /**
     * Constant padding with (before, after) per axis from axis 0; a negative amount crops. With
     * {@code backward}, {@code x} is the gradient of the padded result and the gradient of the
     * unpadded input (shape {@code inShape}) is returned: the elements that came from the input.
     */
    static DoubleTensor pad(DoubleTensor x, List<Integer> pads, double value, List<Integer> inShape, boolean backward) {
        int r = inShape.size();
        int[] outDims = new int[r], before = new int[r], inDims = new int[r];
        List<Integer> outShape = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            inDims[i] = inShape.get(i);
            before[i] = pads.get(2 * i);
            outDims[i] = inDims[i] + pads.get(2 * i) + pads.get(2 * i + 1);
            outShape.add(outDims[i]);
        }
        int[] inStride = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            inStride[i] = s;
            s *= inDims[i];
        }
        int outN = Math.toIntExact(tml.runtime.Tensor.numel(outShape));
        double[] src = x.data();
        double[] dst = backward ? new double[Math.toIntExact(tml.runtime.Tensor.numel(inShape))] : new double[outN];
        if (!backward) java.util.Arrays.fill(dst, value);
        int[] idx = new int[r];
        for (int o = 0; o < outN; o++) {
            int off = 0;
            boolean inside = true;
            for (int i = 0; i < r && inside; i++) {
                int s = idx[i] - before[i];
                inside = s >= 0 && s < inDims[i];
                off += s * inStride[i];
            }
            if (inside) {
                if (backward) dst[off] = src[o];
                else dst[o] = src[off];
            }
            for (int ax = r - 1; ax >= 0 && ++idx[ax] == outDims[ax]; ax--) idx[ax] = 0;
        }
        return DoubleTensor.wrap(backward ? inShape : outShape, dst);
    }

    static DoubleTensor softmax(DoubleTensor x, int axis) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        int outer = Offsets.product(x.shape(), 0, ax), len = x.dim(ax), inner = Offsets.product(x.shape(), ax + 1, x.rank());
        double[] in = x.data(), out = new double[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < len; j++) max = Math.max(max, in[base + j * inner]);
                for (int j = 0; j < len; j++) sum += out[base + j * inner] = Math.exp(in[base + j * inner] - max);
                for (int j = 0; j < len; j++) out[base + j * inner] /= sum;
            }
        }
        return DoubleTensor.wrap(x.shape(), out);
    }

    /** dx = y ⊙ (g − Σ g·y) along the axis, from the softmax result y. */
    static DoubleTensor softmaxBackward(DoubleTensor y, int axis, DoubleTensor g) {
        int ax = axis < 0 ? axis + y.rank() : axis;
        int outer = Offsets.product(y.shape(), 0, ax), len = y.dim(ax), inner = Offsets.product(y.shape(), ax + 1, y.rank());
        double[] yd = y.data(), gd = g.data(), gx = new double[yd.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double dot = 0;
                for (int j = 0; j < len; j++) dot += gd[base + j * inner] * yd[base + j * inner];
                for (int j = 0; j < len; j++) gx[base + j * inner] = yd[base + j * inner] * (gd[base + j * inner] - dot);
            }
        }
        return DoubleTensor.wrap(y.shape(), gx);
    }
}
