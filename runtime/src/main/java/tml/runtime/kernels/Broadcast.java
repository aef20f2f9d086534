package tml.runtime.kernels;

import com.google.common.collect.ImmutableList;
import java.util.List;
import tml.runtime.TmlRuntimeException;

/** Numpy broadcasting of shapes, and the element strides that read an operand inside a broadcast result. */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, aligned at the last axis. */
    public static ImmutableList<Integer> shape(List<Integer> a, List<Integer> b) {
        int r = Math.max(a.size(), b.size());
        ImmutableList.Builder<Integer> out = ImmutableList.builder();
        for (int i = 0; i < r; i++) {
            int da = dimAligned(a, i, r), db = dimAligned(b, i, r);
            if (da != db && da != 1 && db != 1) {
                throw new TmlRuntimeException("shapes " + a + " and " + b + " do not broadcast (axis " + i + ": "
                        + da + " vs " + db + ")");
            }
            out.add(da == 1 ? db : da);
        }
        return out.build();
    }

    /**
     * Row-major element strides of {@code operand} for each axis of {@code out} (aligned at the last
     * axis): 0 along axes the operand lacks or has extent 1 where {@code out} is larger.
     */
    public static int[] strides(List<Integer> operand, List<Integer> out) {
        int r = out.size();
        int[] strides = new int[r];
        int stride = 1;
        for (int i = r - 1; i >= 0; i--) {
            int d = dimAligned(operand, i, r);
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    private static int dimAligned(List<Integer> shape, int axis, int rank) {
        int i = axis - (rank - shape.size());
        return i < 0 ? 1 : shape.get(i);
    }

    static int[] toArray(List<Integer> shape) {
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    static int product(List<Integer> shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) n *= shape.get(i);
        return n;
    }
}
