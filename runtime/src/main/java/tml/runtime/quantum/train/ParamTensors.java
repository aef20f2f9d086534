package tml.runtime.quantum.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tml.ir.quantum.Circuit;
import tml.runtime.Tensor;

/**
 * Trained circuit parameters as named tensors, the way {@code tmlc run --weights} reads them back:
 * the flat parameters {@code theta_0_1_2, ...} of one TML {@code param} array become one tensor named
 * {@code theta} with the array's shape (values in {@code Circuit.params()} order, which is row-major);
 * a parameter that cannot be grouped is stored under its own name.
 */
public final class ParamTensors {
    private ParamTensors() {}

    public static Map<String, Tensor> of(Circuit c, double[] params) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < c.params().size(); i++) groups.computeIfAbsent(base(c.params().get(i)), k -> new ArrayList<>()).add(i);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : groups.entrySet()) {
            List<Integer> idx = e.getValue();
            if (idx.stream().anyMatch(i -> c.params().get(i).equals(e.getKey()))) {
                for (int i : idx) out.put(c.params().get(i), Tensor.vector((float) params[i]));
                continue;
            }
            float[] data = new float[idx.size()];
            for (int j = 0; j < data.length; j++) data[j] = (float) params[idx.get(j)];
            out.put(e.getKey(), Tensor.wrap(shape(c, e.getKey(), idx), data));
        }
        return out;
    }

    /** The part before the first underscore, as {@code tmlc run} groups parameters. */
    static String base(String name) { return name.contains("_") ? name.substring(0, name.indexOf('_')) : name; }

    /** The array shape when the names are base_i_j_... in row-major order over a full box, else [count]. */
    private static List<Integer> shape(Circuit c, String base, List<Integer> idx) {
        List<int[]> subs = new ArrayList<>();
        for (int i : idx) {
            String[] parts = c.params().get(i).substring(base.length() + 1).split("_", -1);
            int[] s = new int[parts.length];
            try {
                for (int k = 0; k < parts.length; k++) s[k] = Integer.parseInt(parts[k]);
            } catch (NumberFormatException ex) {
                return List.of(idx.size());
            }
            if (!subs.isEmpty() && subs.get(0).length != s.length) return List.of(idx.size());
            subs.add(s);
        }
        int rank = subs.get(0).length;
        int[] dims = new int[rank];
        for (int[] s : subs) for (int k = 0; k < rank; k++) dims[k] = Math.max(dims[k], s[k] + 1);
        long total = 1;
        for (int d : dims) total *= d;
        if (total != subs.size()) return List.of(idx.size());
        for (int j = 0; j < subs.size(); j++) {
            int flat = 0;
            for (int k = 0; k < rank; k++) flat = flat * dims[k] + subs.get(j)[k];
            if (flat != j) return List.of(idx.size());
        }
        List<Integer> shape = new ArrayList<>();
        for (int d : dims) shape.add(d);
        return shape;
    }
}
