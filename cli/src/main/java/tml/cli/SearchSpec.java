package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.ast.ParamDecl;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;
import tml.frontend.elab.PolicyReader;
import tml.frontend.elab.Suggest;
import tml.ir.quantum.Device;
import tml.optimizer.quantum.search.EvolutionOptions;
import tml.optimizer.quantum.search.PruneOptions;
import tml.optimizer.quantum.search.QnasOptions;
import tml.optimizer.quantum.search.SearchSpace;
import tml.optimizer.quantum.search.SubCircuitSampler;
import tml.optimizer.quantum.search.TrainOptions;

/**
 * Checks a {@code searchspace} declaration for a circuit and turns it into search settings. Keys
 * that name compile-time parameters of the circuit list their choices; the others are settings.
 * Every problem is a diagnostic at the offending key or value:
 * <pre>
 * searchspace qnas for super {
 *   layers = [1, 2, 3, 4]  width = [2, 3, 4]
 *   device = "lima"  task = "parity"  samples = 300  train_steps = 400
 *   population = 20  generations = 10  mutation = 0.3  seed = 0
 *   prune { ratio = 0.5  steps = 3 }
 * }
 * </pre>
 */
final class SearchSpec {
    private SearchSpec() {}

    static final ImmutableMap<String, String> KEYS = ImmutableMap.<String, String>builder()
            .put("device", "the name of a device declared in this file, as a string")
            .put("task", "\"parity\" (parity of the circuit's input bits) or \"moons\" (two moons, 2 inputs)")
            .put("samples", "an int from 8 to 100000 (two thirds train, one third validation)")
            .put("train_steps", "an int from 0 to 1000000 (SuperCircuit training steps)")
            .put("batch", "an int from 1 to 10000")
            .put("lr", "a positive number")
            .put("sampling", "\"random\" or \"restricted\"")
            .put("population", "an int from 2 to 10000")
            .put("generations", "an int from 1 to 10000")
            .put("mutation", "a probability in [0, 1]")
            .put("seed", "an int")
            .buildOrThrow();
    static final ImmutableMap<String, String> PRUNE_KEYS = ImmutableMap.of(
            "ratio", "a number in [0, 1]: the fraction of trainable rotations removed in the end",
            "steps", "an int from 0 to 1000: pruning rounds",
            "finetune_steps", "an int from 0 to 1000000: training steps after each round",
            "tolerance", "a number in [0, 1]: the validation accuracy a round may lose before it is undone");

    /** What a searchspace declaration asks for. */
    record Spec(String name, Span nameSpan, Decl.Circuit circuit, Span subjectSpan, SearchSpace space, Device device, Span deviceSpan,
                String task, Span taskSpan, int samples, QnasOptions options) {}

    static Optional<Spec> read(Frontend fe, Optional<String> name) {
        Diagnostics diags = fe.diagnostics();
        Optional<PolicyReader.Policy> found = fe.policy("searchspace", name);
        if (found.isEmpty()) return Optional.empty();
        PolicyReader.Policy p = found.get();
        Decl.Policy decl = fe.mainModule().orElseThrow().file().decls().stream()
                .filter(d -> d instanceof Decl.Policy x && x.kind().equals("searchspace") && x.name().equals(p.name()))
                .map(d -> (Decl.Policy) d).findFirst().orElseThrow();
        int before = diags.errorCount();
        if (p.subject().isEmpty()) {
            diags.error(p.nameSpan(), "a searchspace names the circuit it searches: 'searchspace " + p.name() + " for CIRCUIT { ... }'");
            return Optional.empty();
        }
        String subject = p.subject().get();
        Span subjectSpan = p.subjectSpan().orElse(p.nameSpan());
        Optional<Decl.Circuit> circuit = fe.circuits().stream().filter(c -> c.name().equals(subject)).findFirst();
        if (circuit.isEmpty()) {
            boolean network = fe.networks().stream().anyMatch(n -> n.name().equals(subject));
            diags.error(subjectSpan, network ? "'" + subject + "' is a network; tmlc search searches circuits"
                    : "no circuit named '" + subject + "'" + hint(subject, fe.circuits().stream().map(Decl.Circuit::name).toList()));
            return Optional.empty();
        }
        List<String> circuitParams = circuit.get().params().stream().map(ParamDecl::name).toList();
        Map<String, Span> keySpans = keySpans(decl.body().stmts());
        Reader r = new Reader(p, diags);

        Map<String, ImmutableList<Object>> choices = new LinkedHashMap<>();
        for (var e : p.properties().entrySet()) {
            String key = e.getKey();
            Span at = keySpans.getOrDefault(key, e.getValue().span());
            if (e.getValue().selector().isPresent()) {
                diags.error(at, "a searchspace takes no selectors ('" + key + "')");
            } else if (circuitParams.contains(key) && KEYS.containsKey(key)) {
                diags.error(at, "circuit '" + subject + "' has a parameter named like the searchspace setting '" + key + "'; rename the parameter to search it");
            } else if (circuitParams.contains(key)) {
                choices(key, e.getValue(), diags).ifPresent(c -> choices.put(key, c));
            } else if (!KEYS.containsKey(key)) {
                List<String> all = new java.util.ArrayList<>(circuitParams);
                all.addAll(KEYS.keySet());
                diags.error(at, "unknown searchspace key '" + key + "'" + hint(key, all) + " (compile-time parameters of circuit '" + subject + "': "
                        + (circuitParams.isEmpty() ? "none" : String.join(", ", circuitParams)) + "; settings: " + String.join(", ", KEYS.keySet()) + ")");
            }
        }
        Map<String, Span> pruneKeys = Map.of();
        for (Stmt s : decl.body().stmts()) if (s instanceof Stmt.Section sec && sec.key().equals("prune")) pruneKeys = keySpans(sec.body().stmts());
        for (var e : p.sections().entrySet()) {
            if (!e.getKey().equals("prune")) diags.error(e.getValue().nameSpan(), "unknown section '" + e.getKey() + "' in a searchspace" + hint(e.getKey(), List.of("prune")) + " (sections: prune)");
        }
        Optional<PolicyReader.Policy> pruneSection = Optional.ofNullable(p.sections().get("prune"));
        Reader pr = pruneSection.map(s -> new Reader(s, diags)).orElse(null);
        if (pr != null) {
            for (var e : pruneSection.get().properties().entrySet()) {
                if (!PRUNE_KEYS.containsKey(e.getKey())) {
                    diags.error(pruneKeys.getOrDefault(e.getKey(), e.getValue().span()), "unknown prune setting '" + e.getKey() + "'"
                            + hint(e.getKey(), PRUNE_KEYS.keySet()) + " (settings: " + String.join(", ", PRUNE_KEYS.keySet()) + ")");
                }
            }
        }

        if (!p.properties().containsKey("device")) diags.error(p.nameSpan(), "searchspace '" + p.name() + "' does not set 'device' (the device whose noise and coupling the search targets)");
        String deviceName = r.string("device", "", List.of());
        String task = r.string("task", "parity", List.of("parity", "moons"));
        int samples = r.integer("samples", 300, 8, 100_000);
        int trainSteps = r.integer("train_steps", 400, 0, 1_000_000);
        int batch = r.integer("batch", 16, 1, 10_000);
        double lr = r.number("lr", 0.05, 0, Double.MAX_VALUE, false);
        String sampling = r.string("sampling", "random", List.of("random", "restricted"));
        int population = r.integer("population", 20, 2, 10_000);
        int generations = r.integer("generations", 10, 1, 10_000);
        double mutation = r.number("mutation", 0.3, 0, 1, true);
        long seed = r.longValue("seed", 0);
        double ratio = pr == null ? 0 : pr.number("ratio", 0.5, 0, 1, true);
        int pruneSteps = pr == null ? 0 : pr.integer("steps", 3, 0, 1000);
        int finetune = pr == null ? 0 : pr.integer("finetune_steps", 60, 0, 1_000_000);
        double tolerance = pr == null ? 0 : pr.number("tolerance", PruneOptions.DEFAULT_TOLERANCE, 0, 1, true);
        if (choices.isEmpty() && diags.errorCount() == before) {
            diags.error(p.nameSpan(), "searchspace '" + p.name() + "' lists no choices for the compile-time parameters of circuit '" + subject + "'"
                    + (circuitParams.isEmpty() ? " (it has none)" : " (" + String.join(", ", circuitParams) + "), such as " + circuitParams.get(0) + " = [1, 2, 3]"));
        }
        Optional<Device> device = Optional.empty();
        Span deviceSpan = p.properties().containsKey("device") ? p.properties().get("device").span() : p.nameSpan();
        if (diags.errorCount() == before) {
            device = fe.device(deviceName);
            if (device.isEmpty() && diags.errorCount() == before) {
                List<String> devices = fe.mainModule().orElseThrow().file().decls().stream()
                        .filter(d -> d instanceof Decl.Policy x && x.kind().equals("device")).map(d -> ((Decl.Policy) d).name()).toList();
                diags.error(deviceSpan, "no device named '" + deviceName + "' is declared in this file" + hint(deviceName, devices));
            }
        }
        if (diags.errorCount() != before || device.isEmpty()) return Optional.empty();
        SubCircuitSampler.Mode mode = sampling.equals("random") ? SubCircuitSampler.Mode.RANDOM : SubCircuitSampler.Mode.RESTRICTED;
        TrainOptions train = new TrainOptions(trainSteps, batch, lr, mode, 1, seed);
        QnasOptions options = new QnasOptions(train, new EvolutionOptions(population, generations, mutation, seed),
                new PruneOptions(ratio, pruneSteps, train.withSteps(finetune), tolerance), 5.0, Math.PI, seed);
        Span taskSpan = p.properties().containsKey("task") ? p.properties().get("task").span() : p.nameSpan();
        return Optional.of(new Spec(p.name(), p.nameSpan(), circuit.get(), subjectSpan, new SearchSpace(ImmutableMap.copyOf(choices)),
                device.get(), deviceSpan, task, taskSpan, samples, options));
    }

    /** The choices of a searched circuit parameter: a non-empty list of distinct numbers, bools or strings. */
    private static Optional<ImmutableList<Object>> choices(String key, PolicyReader.Property prop, Diagnostics diags) {
        if (!(prop.value() instanceof ImmutableList<?> list)) {
            diags.error(prop.span(), "'" + key + "' must list the choices for circuit parameter '" + key + "', such as [1, 2, 3]; got " + show(prop.value()));
            return Optional.empty();
        }
        if (list.isEmpty()) {
            diags.error(prop.span(), "'" + key + "' lists no choices");
            return Optional.empty();
        }
        for (Object v : list) {
            if (v instanceof ImmutableList<?>) {
                diags.error(prop.span(), "each choice of '" + key + "' must be a number, bool or string; got " + show(v));
                return Optional.empty();
            }
        }
        if (new HashSet<>(list).size() != list.size()) {
            diags.error(prop.span(), "'" + key + "' lists a choice twice");
            return Optional.empty();
        }
        return Optional.of(ImmutableList.copyOf(list));
    }

    static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : v instanceof ImmutableList<?> l ? "[" + String.join(", ", l.stream().map(SearchSpec::show).toList()) + "]" : String.valueOf(v);
    }

    private static String hint(String name, Iterable<String> candidates) {
        return Suggest.closest(name, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    private static Map<String, Span> keySpans(List<Stmt> stmts) {
        Map<String, Span> m = new LinkedHashMap<>();
        for (Stmt s : stmts) if (s instanceof Stmt.Property p) m.putIfAbsent(p.key(), p.keySpan());
        return m;
    }

    /** Typed reads of settings; a wrong value is reported at the value and the default is returned. */
    private record Reader(PolicyReader.Policy policy, Diagnostics diags) {
        private void bad(String key, String message) { diags.error(policy.properties().get(key).span(), message); }

        private String expected(String key) { return KEYS.containsKey(key) ? KEYS.get(key) : PRUNE_KEYS.get(key); }

        String string(String key, String dflt, List<String> allowed) {
            Optional<Object> v = policy.get(key);
            if (v.isEmpty()) return dflt;
            if (!(v.get() instanceof String s) || !allowed.isEmpty() && !allowed.contains(s)) {
                bad(key, "'" + key + "' must be " + expected(key) + ", got " + show(v.get()));
                return dflt;
            }
            return s;
        }

        int integer(String key, int dflt, int min, int max) {
            Optional<Object> v = policy.get(key);
            if (v.isEmpty()) return dflt;
            if (!(v.get() instanceof Long l) || l < min || l > max) {
                bad(key, "'" + key + "' must be " + expected(key) + ", got " + show(v.get()));
                return dflt;
            }
            return (int) (long) l;
        }

        long longValue(String key, long dflt) {
            Optional<Object> v = policy.get(key);
            if (v.isEmpty()) return dflt;
            if (!(v.get() instanceof Long l)) {
                bad(key, "'" + key + "' must be " + expected(key) + ", got " + show(v.get()));
                return dflt;
            }
            return l;
        }

        double number(String key, double dflt, double min, double max, boolean minInclusive) {
            Optional<Object> v = policy.get(key);
            if (v.isEmpty()) return dflt;
            double d = v.get() instanceof Long l ? l : v.get() instanceof Double x ? x : Double.NaN;
            if (!(minInclusive ? d >= min : d > min) || !(d <= max)) {
                bad(key, "'" + key + "' must be " + expected(key) + ", got " + show(v.get()));
                return dflt;
            }
            return d;
        }
    }
}
