package tml.runtime;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import tml.ir.graph.Graph;
import tml.ir.graph.Param;
import tml.ir.graph.ParamInit;
import tml.runtime.io.SafeTensors;
import tml.runtime.io.SafeTensorsFile;
import tml.runtime.io.StoredTensor;

/** Binds a graph's parameters to tensors: from a safetensors file, by deterministic initialisation, or back to a file. */
public final class Weights {
    private Weights() {}

    /**
     * The outcome of binding: the parameters that bound cleanly, and one user-facing message per
     * problem (every problem is collected; binding does not stop at the first).
     */
    public record Binding(ImmutableMap<String, Tensor> params, ImmutableList<String> problems) {
        public boolean ok() { return problems.isEmpty(); }

        /** The parameters, or a {@link TmlRuntimeException} listing every problem. */
        public ImmutableMap<String, Tensor> orThrow() {
            if (ok()) return params;
            throw new TmlRuntimeException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems with the weights:\n  " + String.join("\n  ", problems));
        }
    }

    /** Reads {@code file} and binds it to the parameters of {@code g}. A corrupt file throws {@link TmlRuntimeException}. */
    public static Binding fromSafetensors(Graph g, Path file) {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return bind(g, SafeTensors.read(file), fileName);
    }

    /** Binds already-read file contents; {@code fileName} names the file in messages. */
    public static Binding bind(Graph g, SafeTensorsFile contents, String fileName) {
        Map<String, StoredTensor> stored = new LinkedHashMap<>();
        for (StoredTensor t : contents.tensors()) stored.put(t.name(), t);
        Set<String> paramNames = new LinkedHashSet<>();
        for (Param p : g.params()) paramNames.add(p.name());
        ImmutableMap.Builder<String, Tensor> params = ImmutableMap.builder();
        List<String> problems = new ArrayList<>();
        for (Param p : g.params()) {
            StoredTensor t = stored.get(p.name());
            if (t == null) {
                problems.add("'" + p.name() + "' is missing from " + fileName);
                continue;
            }
            boolean good = true;
            if (p.type().dtype().isFloating() != t.storage().isFloating()) {
                problems.add("'" + p.name() + "' has " + (t.storage().isFloating() ? "floating-point" : "integer")
                        + " dtype " + t.dtype() + " in " + fileName + " but the network expects a "
                        + (p.type().dtype().isFloating() ? "floating-point" : "integer") + " " + p.type().dtype() + " parameter");
                good = false;
            }
            if (!t.shape().equals(p.type().shape())) {
                problems.add("'" + p.name() + "' has shape " + t.shape() + " in the file but the network expects " + p.type().shape());
                good = false;
            }
            if (good) params.put(p.name(), t.toTensor());
        }
        for (StoredTensor t : contents.tensors()) {
            if (paramNames.contains(t.name()) || isBatchNormCounter(t.name(), paramNames)) continue;
            problems.add("'" + t.name() + "' in " + fileName + " is not a parameter of network " + g.name()
                    + suggestion(t.name(), paramNames));
        }
        return new Binding(params.buildOrThrow(), ImmutableList.copyOf(problems));
    }

    /** PyTorch's batch-norm {@code num_batches_tracked} counter of a batch norm that the graph has. */
    private static boolean isBatchNormCounter(String name, Set<String> params) {
        String suffix = ".num_batches_tracked";
        return name.endsWith(suffix)
                && params.contains(name.substring(0, name.length() - suffix.length()) + ".running_mean");
    }

    private static String suggestion(String name, Set<String> params) {
        Optional<String> close = EditDistance.closest(name, params);
        if (close.isPresent()) return " (did you mean '" + close.get() + "'?)";
        int dot = name.indexOf('.');
        if (dot > 0 && params.contains(name.substring(dot + 1))) {
            return " (did you mean '" + name.substring(dot + 1) + "'? the file's names carry an extra '"
                    + name.substring(0, dot + 1) + "' prefix)";
        }
        return "";
    }

    /**
     * Deterministic initial values from each parameter's {@link ParamInit}; a {@link ParamInit.Computed}
     * parameter has none ({@link TmlRuntimeException}). A uniform parameter draws
     * from a generator seeded by {@code seed} and its name, so adding or removing a parameter does
     * not change the others.
     */
    public static ImmutableMap<String, Tensor> initialize(Graph g, long seed) {
        ImmutableMap.Builder<String, Tensor> out = ImmutableMap.builder();
        for (Param p : g.params()) {
            Tensor t = Tensor.zeros(p.type().shape());
            float[] data = t.data();
            switch (p.init()) {
                case ParamInit.Constant c -> Arrays.fill(data, (float) c.value());
                case ParamInit.Computed c -> throw new TmlRuntimeException("parameter '" + p.name()
                        + "' is computed by the optimizer from other weights and has no initial value of its own;"
                        + " run the unoptimized network or keep the optimizer's weights with it");
                case ParamInit.Uniform u -> {
                    SplittableRandom random = new SplittableRandom(seed ^ nameHash(p.name()));
                    float bound = (float) Math.abs(u.bound());
                    if (bound == 0f) break;
                    for (int i = 0; i < data.length; i++) {
                        float v = (float) (Math.abs(u.bound()) * (2 * random.nextDouble() - 1));
                        data[i] = v >= bound ? Math.nextDown(bound) : Math.max(v, -bound);
                    }
                }
            }
            out.put(p.name(), t);
        }
        return out.buildOrThrow();
    }

    /** 64-bit FNV-1a of the UTF-8 name: stable across runs and JVMs. */
    static long nameHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Saves parameters as an F32 safetensors file, in the map's order. */
    public static void save(Map<String, Tensor> params, Path file) { SafeTensors.write(params, file); }
}
