package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;
import tml.frontend.elab.PolicyReader;
import tml.frontend.elab.Suggest;
import tml.ir.quantum.Device;
import tml.runtime.data.FashionMnist;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.train.PostNormalization;
import tml.runtime.quantum.train.Quantizer;
import tml.runtime.quantum.train.Readout;
import tml.runtime.quantum.train.TrainConfig;

/**
 * Checks a {@code train} declaration for a circuit and turns it into settings. Every problem is a
 * diagnostic at the offending key or value:
 * <pre>
 * train fashion for qnn {
 *   dataset = "fashion-mnist"  classes = [3, 6]  features = 16
 *   optimizer = "adam"  lr = 0.05  epochs = 5  batch = 32  seed = 0
 *   gradient = "adjoint"
 *   pruning { ratio = 0.5  window = 1 }
 *   noise { device = "lima"  inject = true }
 *   normalize = true  quantize = 0
 * }
 * </pre>
 */
final class TrainPolicy {
    private TrainPolicy() {}

    static final ImmutableMap<String, String> KEYS = ImmutableMap.<String, String>builder()
            .put("dataset", "\"fashion-mnist\"")
            .put("data_dir", "a directory holding the gzip'd IDX files")
            .put("classes", "a list of at least two distinct class numbers 0..9, e.g. [3, 6]")
            .put("features", "the number of features, a square whose side divides 28 (16 = 4x4 average pooling)")
            .put("scale", "a positive number: pixel means in [0, 1] times scale are the angles")
            .put("train_samples", "a positive int (use the first N training images)")
            .put("test_samples", "a positive int (use the first N test images)")
            .put("optimizer", "\"adam\" or \"sgd\"")
            .put("lr", "a positive number")
            .put("momentum", "a number in [0, 1) (sgd)")
            .put("schedule", "\"constant\" or \"cosine\"")
            .put("epochs", "a positive int")
            .put("batch", "a positive int")
            .put("seed", "an int")
            .put("gradient", "\"adjoint\" or \"parameter-shift\"")
            .put("shots", "0 (exact expectations) or the measurements per circuit run of parameter shift, up to 10^7")
            .put("readout", "\"pairs\" or \"first\"")
            .put("normalize", "a bool")
            .put("normalize_stats", "\"running\" or \"batch\"")
            .put("quantize", "0 (off) or a number of levels, at least 2")
            .put("quantize_range", "a positive number")
            .buildOrThrow();
    static final ImmutableMap<String, String> PRUNING_KEYS = ImmutableMap.of(
            "ratio", "a number in [0, 1): the fraction of gradients pruned",
            "window", "a positive int: steps of the accumulation window",
            "prune_window", "a positive int: steps of the pruning window");
    static final ImmutableMap<String, String> NOISE_KEYS = ImmutableMap.of(
            "device", "the name of a device declared in this file",
            "inject", "a bool: QuantumNAT noise injection during training",
            "factor", "a non-negative number: scales the injected error probabilities",
            "draws", "a positive int: noisy circuits drawn per training sample (their expectations averaged)",
            "noisy_gradients", "a bool: parameter shift on the noisy density-matrix simulator");
    static final ImmutableMap<String, ImmutableMap<String, String>> SECTIONS = ImmutableMap.of("pruning", PRUNING_KEYS, "noise", NOISE_KEYS);

    /** What a train declaration asks for. */
    record Spec(String name, Optional<String> circuit, Optional<Span> circuitSpan, Span nameSpan, Path dataDir, ImmutableList<Integer> classes,
                Optional<Integer> features, Optional<Span> featuresSpan, double scale, Optional<Integer> trainSamples, Optional<Integer> testSamples,
                Readout readout, boolean normalize, Optional<Quantizer> quantizer, TrainConfig config, Optional<String> deviceName,
                Optional<TrainConfig.Injection> injection, boolean noisyGradients) {
        /** The settings with the device's noise model (when section 'noise' names one). */
        TrainConfig config(Optional<NoiseModel> noise) { return config.withNoise(noise, injection, noisyGradients); }
    }

    static Optional<Spec> read(Frontend fe, Optional<String> name) {
        Diagnostics diags = fe.diagnostics();
        Optional<PolicyReader.Policy> found = fe.policy("train", name);
        if (found.isEmpty()) return Optional.empty();
        PolicyReader.Policy p = found.get();
        Decl.Policy decl = fe.mainModule().orElseThrow().file().decls().stream()
                .filter(d -> d instanceof Decl.Policy x && x.kind().equals("train") && x.name().equals(p.name()))
                .map(d -> (Decl.Policy) d).findFirst().orElseThrow();
        int before = diags.errorCount();
        Reader r = new Reader(p, keySpans(decl.body().stmts()), diags, "train");
        r.unknownKeys(KEYS);
        Map<String, Map<String, Span>> sectionKeys = new HashMap<>();
        for (Stmt s : decl.body().stmts()) if (s instanceof Stmt.Section sec) sectionKeys.put(sec.key(), keySpans(sec.body().stmts()));
        for (var e : p.sections().entrySet()) {
            if (!SECTIONS.containsKey(e.getKey())) {
                diags.error(e.getValue().nameSpan(), "unknown section '" + e.getKey() + "' in a train declaration" + hint(e.getKey(), SECTIONS.keySet())
                        + " (sections: pruning, noise)");
            } else {
                new Reader(e.getValue(), sectionKeys.getOrDefault(e.getKey(), Map.of()), diags, e.getKey()).unknownKeys(SECTIONS.get(e.getKey()));
            }
        }

        String dataset = r.string("dataset", "fashion-mnist", List.of("fashion-mnist"));
        Path dataDir = Path.of(r.string("data_dir", FashionMnist.DEFAULT_DIR.toString(), List.of()));
        ImmutableList<Integer> classes = r.classes();
        Optional<Integer> features = r.has("features") ? Optional.of(r.integer("features", 16, 1, 784)) : Optional.empty();
        if (features.isPresent() && !validFeatures(features.get())) {
            r.bad("features", "'features' must be " + KEYS.get("features") + ", got " + features.get());
        }
        double scale = r.number("scale", Math.PI, 0, false);
        Optional<Integer> trainSamples = r.has("train_samples") ? Optional.of(r.integer("train_samples", 1, 1, Integer.MAX_VALUE)) : Optional.empty();
        Optional<Integer> testSamples = r.has("test_samples") ? Optional.of(r.integer("test_samples", 1, 1, Integer.MAX_VALUE)) : Optional.empty();
        String optimizer = r.string("optimizer", "adam", List.of("adam", "sgd"));
        double lr = r.number("lr", 0.05, 0, false);
        double momentum = r.number("momentum", 0.9, 0, true);
        if (momentum >= 1) r.bad("momentum", "'momentum' must be " + KEYS.get("momentum") + ", got " + momentum);
        if (r.has("momentum") && !optimizer.equals("sgd")) r.bad("momentum", "'momentum' applies to optimizer \"sgd\" only");
        String schedule = r.string("schedule", "constant", List.of("constant", "cosine"));
        int epochs = r.integer("epochs", 5, 1, 100_000);
        int batch = r.integer("batch", 32, 1, 1_000_000);
        long seed = r.has("seed") ? r.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE) : 0;
        String gradient = r.string("gradient", "adjoint", List.of("adjoint", "parameter-shift"));
        int shots = r.integer("shots", 0, 0, 10_000_000);
        if (shots > 0 && !gradient.equals("parameter-shift")) r.bad("shots", "'shots' needs gradient = \"parameter-shift\" (the adjoint method has no circuit runs to measure)");
        Readout readout = Readout.byKey(r.string("readout", "pairs", List.of("pairs", "first"))).orElse(Readout.PAIRS);
        boolean normalize = r.bool("normalize", false);
        String stats = r.string("normalize_stats", "running", List.of("running", "batch"));
        if (r.has("normalize_stats") && !normalize) r.bad("normalize_stats", "'normalize_stats' needs 'normalize = true'");
        int levels = r.integer("quantize", 0, 0, 1 << 20);
        if (levels == 1) r.bad("quantize", "'quantize' must be " + KEYS.get("quantize") + ", got 1");
        double range = r.number("quantize_range", normalize ? 2.0 : 1.0, 0, false);
        if (r.has("quantize_range") && levels == 0) r.bad("quantize_range", "'quantize_range' needs 'quantize' levels");

        Optional<TrainConfig.Pruning> pruning = Optional.empty();
        PolicyReader.Policy ps = p.sections().get("pruning");
        if (ps != null) {
            Reader pr = new Reader(ps, sectionKeys.getOrDefault("pruning", Map.of()), diags, "pruning");
            double ratio = pr.number("ratio", 0.5, 0, true);
            if (ratio >= 1) pr.bad("ratio", "'ratio' must be " + PRUNING_KEYS.get("ratio") + ", got " + ratio);
            int window = pr.integer("window", 1, 1, 1_000_000);
            int pruneWindow = pr.integer("prune_window", 2, 1, 1_000_000);
            if (ratio < 1) pruning = Optional.of(new TrainConfig.Pruning(ratio, window, pruneWindow));
            if (!gradient.equals("parameter-shift") && diags.errorCount() == before) {
                diags.add(Diagnostic.warning(ps.nameSpan(), "gradient pruning saves circuit runs only with gradient = \"parameter-shift\"; with the adjoint method it only drops gradients"));
            }
        }
        Optional<String> deviceName = Optional.empty();
        boolean inject = false, noisyGradients = false;
        Optional<TrainConfig.Injection> injection = Optional.empty();
        PolicyReader.Policy ns = p.sections().get("noise");
        if (ns != null) {
            Reader nr = new Reader(ns, sectionKeys.getOrDefault("noise", Map.of()), diags, "noise");
            if (!nr.has("device")) diags.error(ns.nameSpan(), "section 'noise' needs 'device = \"NAME\"' (a device declared in this file)");
            else deviceName = Optional.of(nr.string("device", "", List.of()));
            inject = nr.bool("inject", false);
            double factor = nr.number("factor", 1.0, 0, true);
            int draws = nr.integer("draws", 1, 1, 1000);
            if (!inject && nr.has("factor")) nr.bad("factor", "'factor' needs 'inject = true'");
            if (!inject && nr.has("draws")) nr.bad("draws", "'draws' needs 'inject = true'");
            if (inject) injection = Optional.of(new TrainConfig.Injection(factor, draws));
            noisyGradients = nr.bool("noisy_gradients", false);
            if (noisyGradients && !gradient.equals("parameter-shift")) nr.bad("noisy_gradients", "'noisy_gradients' needs gradient = \"parameter-shift\"");
            if (noisyGradients && inject) nr.bad("noisy_gradients", "'noisy_gradients' already trains under the device's noise; do not also inject it");
        }
        if (diags.errorCount() != before) return Optional.empty();
        if (!dataset.equals("fashion-mnist")) return Optional.empty();
        TrainConfig cfg = new TrainConfig(optimizer.equals("adam") ? TrainConfig.OptimizerKind.ADAM : TrainConfig.OptimizerKind.SGD, lr, momentum,
                schedule.equals("cosine") ? TrainConfig.Schedule.COSINE : TrainConfig.Schedule.CONSTANT, epochs, batch, seed,
                gradient.equals("adjoint") ? TrainConfig.Method.ADJOINT : TrainConfig.Method.PARAMETER_SHIFT, pruning,
                Optional.empty(), Optional.empty(), false, shots, stats.equals("batch") ? PostNormalization.Stats.BATCH : PostNormalization.Stats.RUNNING);
        return Optional.of(new Spec(p.name(), p.subject(), p.subjectSpan(), p.nameSpan(), dataDir, classes, features,
                Optional.ofNullable(p.properties().get("features")).map(PolicyReader.Property::span), scale, trainSamples, testSamples,
                readout, normalize, levels >= 2 ? Optional.of(new Quantizer(levels, range)) : Optional.empty(), cfg, deviceName, injection, noisyGradients));
    }

    /** The device of section 'noise', checked against the circuit's qubits; diagnostics on failure. */
    static Optional<Device> device(Frontend fe, PolicyReader.Policy noise, String deviceName, int qubits) {
        Span at = Optional.ofNullable(noise.properties().get("device")).map(PolicyReader.Property::span).orElse(noise.nameSpan());
        Optional<Device> d = fe.device(deviceName);
        if (fe.diagnostics().hasErrors()) return Optional.empty();
        if (d.isEmpty()) {
            fe.diagnostics().error(at, "no device named '" + deviceName + "' is declared in this file");
            return Optional.empty();
        }
        if (d.get().numQubits() < qubits) {
            fe.diagnostics().error(at, "device '" + deviceName + "' has " + d.get().numQubits() + " qubits; the circuit needs " + qubits);
            return Optional.empty();
        }
        return d;
    }

    static boolean validFeatures(int f) {
        int side = (int) Math.round(Math.sqrt(f));
        return side * side == f && FashionMnist.SIDE % side == 0;
    }

    private static Map<String, Span> keySpans(List<Stmt> stmts) {
        Map<String, Span> m = new HashMap<>();
        for (Stmt s : stmts) if (s instanceof Stmt.Property p) m.putIfAbsent(p.key() + p.selector().map(x -> " \"" + x + "\"").orElse(""), p.keySpan());
        return m;
    }

    private static String hint(String key, Iterable<String> known) {
        return Suggest.closest(key, known).map(x -> "; did you mean '" + x + "'?").orElse("");
    }

    /** Typed access to one (section of a) policy, reporting at the value. */
    private record Reader(PolicyReader.Policy p, Map<String, Span> keySpans, Diagnostics diags, String where) {
        boolean has(String key) { return p.properties().containsKey(key); }

        void unknownKeys(ImmutableMap<String, String> known) {
            for (var e : p.properties().entrySet()) {
                String key = e.getKey();
                Span at = keySpans.getOrDefault(key, e.getValue().span());
                if (e.getValue().selector().isPresent()) {
                    diags.error(at, "'" + key + "': train settings take no selector");
                } else if (!known.containsKey(key)) {
                    diags.error(at, (where.equals("train") ? "unknown train setting '" + key + "'" : "unknown setting '" + key + "' in section '" + where + "'")
                            + hint(key, known.keySet()));
                }
            }
        }

        void bad(String key, String message) { diags.error(p.properties().get(key).span(), message); }

        private String want(String key) {
            return where.equals("train") ? KEYS.get(key) : SECTIONS.get(where).get(key);
        }

        String string(String key, String dflt, List<String> allowed) {
            if (!has(key)) return dflt;
            Object v = p.properties().get(key).value();
            if (!(v instanceof String s) || (!allowed.isEmpty() && !allowed.contains(s))) {
                bad(key, "'" + key + "' must be " + want(key) + ", got " + show(v));
                return dflt;
            }
            return s;
        }

        boolean bool(String key, boolean dflt) {
            if (!has(key)) return dflt;
            Object v = p.properties().get(key).value();
            if (!(v instanceof Boolean b)) {
                bad(key, "'" + key + "' must be " + want(key) + ", got " + show(v));
                return dflt;
            }
            return b;
        }

        int integer(String key, int dflt, long min, long max) {
            if (!has(key)) return dflt;
            Object v = p.properties().get(key).value();
            if (!(v instanceof Long l) || l < min || l > max) {
                bad(key, "'" + key + "' must be " + want(key) + ", got " + show(v));
                return dflt;
            }
            return (int) (long) l;
        }

        /** A number above {@code min} (or equal to it when {@code inclusive}). */
        double number(String key, double dflt, double min, boolean inclusive) {
            if (!has(key)) return dflt;
            Object v = p.properties().get(key).value();
            double d = v instanceof Long l ? l : v instanceof Double x ? x : Double.NaN;
            if (!Double.isFinite(d) || d < min || (!inclusive && d == min)) {
                bad(key, "'" + key + "' must be " + want(key) + ", got " + show(v));
                return dflt;
            }
            return d;
        }

        ImmutableList<Integer> classes() {
            if (!has("classes")) return ImmutableList.of(3, 6);
            Object v = p.properties().get("classes").value();
            if (v instanceof List<?> list && list.size() >= 2 && list.stream().allMatch(x -> x instanceof Long l && l >= 0 && l <= 9)
                    && list.stream().distinct().count() == list.size()) {
                return list.stream().map(x -> (int) (long) (Long) x).collect(ImmutableList.toImmutableList());
            }
            bad("classes", "'classes' must be " + KEYS.get("classes") + ", got " + show(v));
            return ImmutableList.of(3, 6);
        }

        private static String show(Object v) {
            return switch (v) {
                case String s -> "\"" + s + "\"";
                case List<?> l -> "[" + String.join(", ", l.stream().map(Reader::show).toList()) + "]";
                default -> String.valueOf(v);
            };
        }
    }
}
