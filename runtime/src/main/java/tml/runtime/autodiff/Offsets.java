package tml.runtime.autodiff;

import java.util.List;
import tml.runtime.kernels.Broadcast;

/** Where each element of a broadcast result reads an operand: the reverse of that map sums gradients over broadcast axes. */
final class Offsets {
    private Offsets() {}

    /** For each row-major index of {@code out}, the row-major offset of the element of {@code operand} (aligned at the last axis) it reads. */
    static int[] of(List<Integer> operand, List<Integer> out) {
        int r = out.size();
        int n = Math.toIntExact(tml.runtime.Tensor.numel(out));
        int[] offsets = new int[n];
        if (n == 0 || r == 0) return offsets;
        int[] strides = Broadcast.strides(operand, out);
        int[] dims = out.stream().mapToInt(Integer::intValue).toArray();
        int[] idx = new int[r];
        int off = 0;
        for (int i = 0; i < n; i++) {
            offsets[i] = off;
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += strides[ax];
                if (idx[ax] < dims[ax]) break;
                off -= strides[ax] * dims[ax];
                idx[ax] = 0;
            }
        }
        return offsets;
    }

    /** The product of {@code shape[from..to)}. */
    static int product(List<Integer> shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape.get(i);
        return p;
    }
}
