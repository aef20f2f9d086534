package tml.runtime.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tml.runtime.Tensor;

/** Kernels that move data without arithmetic: concat, channel shuffle, constant padding, flatten. */
public final class LayoutKernels {
    private LayoutKernels() {}

    /** Joins tensors that agree on every axis but {@code axis}. */
    public static Tensor concat(List<Tensor> xs, int axis) {
        Tensor first = xs.get(0);
        int ax = axis < 0 ? axis + first.rank() : axis;
        int outer = Broadcast.product(first.shape(), 0, ax), inner = Broadcast.product(first.shape(), ax + 1, first.rank());
        int total = xs.stream().mapToInt(t -> t.dim(ax)).sum();
        float[] out = new float[outer * total * inner];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : xs) {
                int block = t.dim(ax) * inner;
                System.arraycopy(t.data(), o * block, out, at, block);
                at += block;
            }
        }
        List<Integer> shape = new ArrayList<>(first.shape());
        shape.set(ax, total);
        return Tensor.wrap(shape, out);
    }

    /**
     * ShuffleNet's channel shuffle: view [N,g,C/g,H,W], swap axes 1 and 2, reshape back, so output
     * channel {@code j*g + i} is input channel {@code i*(C/g) + j}.
     */
    public static Tensor channelShuffle(Tensor x, int groups) {
        int n = x.dim(0), c = x.dim(1), plane = x.dim(2) * x.dim(3), perGroup = c / groups;
        float[] in = x.data(), out = new float[in.length];
        for (int img = 0; img < n; img++) {
            for (int i = 0; i < groups; i++) {
                for (int j = 0; j < perGroup; j++) {
                    System.arraycopy(in, (img * c + i * perGroup + j) * plane, out, (img * c + j * groups + i) * plane, plane);
                }
            }
        }
        return Tensor.wrap(x.shape(), out);
    }

    /**
     * Constant padding; {@code pads} holds (before, after) for each axis from axis 0. A negative
     * amount crops, as in PyTorch's F.pad.
     */
    public static Tensor pad(Tensor x, List<Integer> pads, float value) {
        int r = x.rank();
        int[] outDims = new int[r], before = new int[r];
        List<Integer> shape = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            before[i] = pads.get(2 * i);
            outDims[i] = x.dim(i) + pads.get(2 * i) + pads.get(2 * i + 1);
            shape.add(outDims[i]);
        }
        float[] in = x.data(), out = new float[Math.toIntExact(Tensor.numel(shape))];
        Arrays.fill(out, value);
        int[] inStride = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            inStride[i] = s;
            s *= x.dim(i);
        }
        int[] idx = new int[r];
        for (int o = 0; o < out.length; o++) {
            int off = 0;
            boolean inside = true;
            for (int i = 0; i < r && inside; i++) {
                int src = idx[i] - before[i];
                inside = src >= 0 && src < x.dim(i);
                off += src * inStride[i];
            }
            if (inside) out[o] = in[off];
            for (int ax = r - 1; ax >= 0 && ++idx[ax] == outDims[ax]; ax--) idx[ax] = 0;
        }
        return Tensor.wrap(shape, out);
    }

    /** Collapses the axes from {@code startAxis} to the last into one (shares the data). */
    public static Tensor flatten(Tensor x, int startAxis) {
        int start = startAxis < 0 ? startAxis + Math.max(x.rank(), 1) : startAxis;
        List<Integer> shape = new ArrayList<>(x.shape().subList(0, Math.min(start, x.rank())));
        shape.add(Broadcast.product(x.shape(), Math.min(start, x.rank()), x.rank()));
        return x.reshape(shape);
    }
}
