package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;
import tml.frontend.elab.PolicyReader;
import tml.frontend.elab.Suggest;
import tml.runtime.data.FashionMnist;
import tml.runtime.train.NetworkTrainConfig;

/**
 * Checks a {@code train} declaration whose subject is a network and turns it into settings; every
 * problem is a diagnostic at the offending value:
 * <pre>
 * train fit for Hybrid {
 *   dataset = "fashion-mnist"  classes = [0, 1, 2, 3]  train_samples = 4000  test_samples = 1000
 *   optimizer = "adam"  lr = 0.02  epochs = 3  batch = 32  seed = 0
 * }
 * </pre>
 */
final class NetworkTrainPolicy {
    private NetworkTrainPolicy() {}

    static final ImmutableMap<String, String> KEYS = ImmutableMap.<String, String>builder()
            .put("dataset", "\"fashion-mnist\" (28x28 grey images with values in [0, 1])")
            .put("data_dir", "a directory holding the gzip'd IDX files")
            .put("classes", "a list of at least two distinct class numbers 0..9, as many as the network's logits")
            .put("train_samples", "a positive int (use the first N training images of those classes)")
            .put("test_samples", "a positive int (use the first N test images of those classes)")
            .put("optimizer", "\"adam\" or \"sgd\"")
            .put("lr", "a positive number")
            .put("momentum", "a number in [0, 1) (sgd)")
            .put("epochs", "a positive int")
            .put("batch", "a positive int")
            .put("seed", "an int (initial weights and shuffling)")
            .put("output", "the name of the network output that holds the logits")
            .buildOrThrow();

    /** What the declaration asks for. */
    record Spec(String name, Span nameSpan, Path dataDir, ImmutableList<Integer> classes, Optional<Integer> trainSamples,
                Optional<Integer> testSamples, NetworkTrainConfig config) {}

    /**
     * The settings, or empty after reporting each problem; {@code keySpans} places problems with a key,
     * {@code logits} is the network's class count (the default classes are 0..logits-1).
     */
    static Optional<Spec> read(PolicyReader.Policy p, java.util.Map<String, Span> keySpans, int logits, Diagnostics diags) {
        int before = diags.errorCount();
        for (var e : p.properties().entrySet()) {
            Span at = keySpans.getOrDefault(e.getKey(), e.getValue().span());
            if (e.getValue().selector().isPresent()) {
                diags.error(at, "'" + e.getKey() + "': train settings take no selector");
            } else if (!KEYS.containsKey(e.getKey())) {
                diags.error(at, "unknown setting '" + e.getKey() + "' for training a network"
                        + Suggest.closest(e.getKey(), KEYS.keySet()).map(s -> "; did you mean '" + s + "'?").orElse("")
                        + " (settings: " + String.join(", ", KEYS.keySet()) + ")");
            }
        }
        for (var s : p.sections().values()) diags.error(s.nameSpan(), "training a network takes no sections");
        Values v = new Values(p, diags);
        v.string("dataset", "fashion-mnist", List.of("fashion-mnist"));
        Path dataDir = Path.of(v.string("data_dir", FashionMnist.DEFAULT_DIR.toString(), List.of()));
        ImmutableList<Integer> classes = v.classes(logits);
        Optional<Integer> trainSamples = v.has("train_samples") ? Optional.of(v.integer("train_samples", 1, 1, Integer.MAX_VALUE)) : Optional.empty();
        Optional<Integer> testSamples = v.has("test_samples") ? Optional.of(v.integer("test_samples", 1, 1, Integer.MAX_VALUE)) : Optional.empty();
        String optimizer = v.string("optimizer", "adam", List.of("adam", "sgd"));
        double lr = v.number("lr", 0.01);
        double momentum = v.has("momentum") ? v.number("momentum", 0.9) : 0.9;
        if (momentum >= 1) v.bad("momentum", momentum);
        if (v.has("momentum") && !optimizer.equals("sgd")) diags.error(p.properties().get("momentum").span(), "'momentum' applies to optimizer \"sgd\" only");
        int epochs = v.integer("epochs", 3, 1, 100_000);
        int batch = v.integer("batch", 32, 1, 1_000_000);
        long seed = v.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        Optional<String> output = v.has("output") ? Optional.of(v.string("output", "", List.of())) : Optional.empty();
        if (diags.errorCount() != before) return Optional.empty();
        NetworkTrainConfig cfg = new NetworkTrainConfig(optimizer.equals("adam") ? NetworkTrainConfig.OptimizerKind.ADAM : NetworkTrainConfig.OptimizerKind.SGD,
                lr, momentum, epochs, batch, seed, output);
        return Optional.of(new Spec(p.name(), p.nameSpan(), dataDir, classes, trainSamples, testSamples, cfg));
    }

    /** Typed reads of the properties, each problem reported at the value. */
    private record Values(PolicyReader.Policy p, Diagnostics diags) {
        boolean has(String key) { return p.properties().containsKey(key); }

        Object value(String key) { return p.properties().get(key).value(); }

        void bad(String key, Object got) {
            diags.error(p.properties().get(key).span(), "'" + key + "' must be " + KEYS.get(key) + ", got " + show(got));
        }

        String string(String key, String dflt, List<String> allowed) {
            if (!has(key)) return dflt;
            if (value(key) instanceof String s && (allowed.isEmpty() || allowed.contains(s))) return s;
            bad(key, value(key));
            return dflt;
        }

        int integer(String key, int dflt, long min, long max) {
            if (!has(key)) return dflt;
            if (value(key) instanceof Long l && l >= min && l <= max) return (int) (long) l;
            bad(key, value(key));
            return dflt;
        }

        /** A finite number; positive except for 'momentum', which may be 0. */
        double number(String key, double dflt) {
            if (!has(key)) return dflt;
            Object o = value(key);
            double d = o instanceof Long l ? l : o instanceof Double x ? x : Double.NaN;
            if (Double.isFinite(d) && (d > 0 || (key.equals("momentum") && d == 0))) return d;
            bad(key, o);
            return dflt;
        }

        ImmutableList<Integer> classes(int logits) {
            ImmutableList<Integer> dflt = java.util.stream.IntStream.range(0, Math.max(2, Math.min(10, logits))).boxed().collect(ImmutableList.toImmutableList());
            if (!has("classes")) return dflt;
            if (value("classes") instanceof List<?> list && list.size() >= 2 && list.stream().allMatch(x -> x instanceof Long l && l >= 0 && l <= 9)
                    && list.stream().distinct().count() == list.size()) {
                ImmutableList<Integer> c = list.stream().map(x -> (int) (long) (Long) x).collect(ImmutableList.toImmutableList());
                if (c.size() != logits) {
                    diags.error(p.properties().get("classes").span(), c.size() + " classes, but the network's logits distinguish " + logits);
                }
                return c;
            }
            bad("classes", value("classes"));
            return dflt;
        }

        private static String show(Object v) {
            return switch (v) {
                case String s -> "\"" + s + "\"";
                case List<?> l -> "[" + String.join(", ", l.stream().map(Values::show).toList()) + "]";
                default -> String.valueOf(v);
            };
        }
    }
}
