package tml.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tml.frontend.Frontend;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.frontend.print.CircuitSource;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;
import tml.optimizer.quantum.search.Baseline;
import tml.optimizer.quantum.search.ClassificationTask;
import tml.optimizer.quantum.search.GateCounts;
import tml.optimizer.quantum.search.NoisyEvaluation;
import tml.optimizer.quantum.search.PruneStep;
import tml.optimizer.quantum.search.QnasResult;
import tml.optimizer.quantum.search.QuantumNas;
import tml.optimizer.quantum.search.Score;
import tml.optimizer.quantum.search.SubConfig;
import tml.optimizer.quantum.search.SuperCircuit;
import tml.optimizer.quantum.search.SyntheticTask;
import tml.runtime.Tensor;
import tml.runtime.io.SafeTensors;

/**
 * {@code tmlc search FILE [--search NAME] [--json] [-o best.tml]}: QuantumNAS on the circuit a
 * {@code searchspace} names. Trains the SuperCircuit, searches SubCircuit and qubit mapping under
 * the device's noise, prunes, and prints the progress and the outcome next to the largest and
 * smallest configurations. {@code -o} writes the chosen SubCircuit as TML and its weights as
 * safetensors beside it.
 */
final class SearchCommand {
    /** Configurations checked before training (all of them when there are at most this many). */
    static final int CHECK_ALL_UP_TO = 512;

    private final Options o;
    private final PrintStream out, err;
    private final boolean jsonDiagnostics;

    SearchCommand(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        this.jsonDiagnostics = o.one("diagnostic-format").orElse("text").equals("json");
    }

    private void print(Diagnostic d) { err.print(jsonDiagnostics ? DiagnosticRenderer.json(d) + "\n" : DiagnosticRenderer.text(d)); }

    private boolean flush(Frontend fe) {
        fe.diagnostics().all().forEach(this::print);
        return fe.diagnostics().hasErrors();
    }

    /** Thrown by the circuit family when the front end could not elaborate a configuration. */
    private static final class NotElaborated extends IllegalArgumentException {
        NotElaborated(SubConfig c) { super("does not elaborate at " + c); }
    }

    int run() throws UsageException {
        String file = o.singleFile();
        Map<String, String> fixed = o.pairs("param");
        Optional<Path> target = o.one("o").map(Path::of);
        if (target.isPresent() && !target.get().toString().endsWith(".tml")) throw new UsageException("-o names the TML file to write, ending in .tml");
        Frontend fe = new Frontend(o.all("I").stream().map(Path::of).toList());
        if (fe.load(Path.of(file)).isEmpty() || fe.diagnostics().hasErrors()) {
            flush(fe);
            return Main.ERRORS;
        }
        Optional<SearchSpec.Spec> found = SearchSpec.read(fe, o.one("search"));
        if (found.isEmpty() || fe.diagnostics().hasErrors()) {
            flush(fe);
            return Main.ERRORS;
        }
        SearchSpec.Spec spec = found.get();
        for (String k : fixed.keySet()) {
            if (spec.space().choices().containsKey(k)) throw new UsageException("--param " + k + " is searched by '" + spec.name() + "'; it cannot also be fixed");
        }
        Optional<Prepared> prepared = prepare(fe, spec, fixed);
        if (flush(fe) || prepared.isEmpty()) return Main.ERRORS;
        SuperCircuit sc = prepared.get().superCircuit();
        ClassificationTask task = prepared.get().task();

        boolean json = o.flag("json");
        PrintStream log = json ? err : out;
        log.println(String.format(Locale.ROOT, "search '%s' for circuit '%s' on device '%s' (%d qubits): %d configurations x qubit mappings",
                spec.name(), sc.circuit().name(), spec.device().name(), spec.device().numQubits(), spec.space().size()));
        long t0 = System.nanoTime();
        QnasResult r;
        try {
            r = QuantumNas.run(sc, spec.device(), task, spec.options(), log::println);
        } catch (NotElaborated e) {
            fe.diagnostics().error(spec.nameSpan(), "circuit '" + spec.circuit().name() + "' " + e.getMessage());
            flush(fe);
            return Main.ERRORS;
        } catch (IllegalArgumentException e) {
            err.println("tmlc: error: the search failed: " + e.getMessage());
            return Main.ERRORS;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (target.isPresent() && !write(target.get(), spec, r)) return Main.ERRORS;
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(toJson(spec, task, r, seconds)));
        } else {
            printSummary(spec, task, r, seconds);
            target.ifPresent(t -> out.println("wrote " + t + " and " + weightsPath(t)));
        }
        return Main.OK;
    }

    private record Prepared(SuperCircuit superCircuit, ClassificationTask task) {}

    /** The SuperCircuit and the task, after checking the configurations; problems become diagnostics. */
    private static Optional<Prepared> prepare(Frontend fe, SearchSpec.Spec spec, Map<String, String> fixed) {
        try {
            SuperCircuit sc = new SuperCircuit(spec.space(), config -> elaborate(fe, spec, fixed, config));
            return Optional.ofNullable(check(fe, spec, sc)).map(task -> new Prepared(sc, task));
        } catch (NotElaborated e) {
            fe.diagnostics().error(spec.nameSpan(), "circuit '" + spec.circuit().name() + "' " + e.getMessage());
        } catch (IllegalArgumentException e) {
            fe.diagnostics().error(spec.nameSpan(), e.getMessage());
        }
        return Optional.empty();
    }

    private static Circuit elaborate(Frontend fe, SearchSpec.Spec spec, Map<String, String> fixed, SubConfig config) {
        Map<String, String> params = new LinkedHashMap<>(fixed);
        config.values().forEach((k, v) -> params.put(k, expression(v)));
        return fe.elaborateCircuit(spec.circuit(), params).orElseThrow(() -> new NotElaborated(config));
    }

    /** A configuration value as the TML expression that evaluates to it. */
    static String expression(Object v) {
        return switch (v) {
            case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Double d -> d.isInfinite() || d.isNaN() ? "0.0" : d.toString();
            default -> v.toString();
        };
    }

    /** Checks configurations before the (long) training; returns the task. Problems are diagnostics. */
    private static ClassificationTask check(Frontend fe, SearchSpec.Spec spec, SuperCircuit sc) {
        List<SubConfig> configs = spec.space().size() <= CHECK_ALL_UP_TO ? spec.space().all() : List.of(spec.space().largest(), spec.space().smallest());
        for (SubConfig c : configs) {
            Circuit sub = sc.subCircuit(c);
            if (sub.numQubits() > spec.device().numQubits()) {
                fe.diagnostics().error(spec.deviceSpan(), "device '" + spec.device().name() + "' has " + spec.device().numQubits() + " qubits; circuit '"
                        + sub.name() + "' at " + c + " needs " + sub.numQubits());
                return null;
            }
            for (Op op : sub.ops()) {
                if (!(op instanceof Op.Gate || op instanceof Op.Barrier || op instanceof Op.Measure)) {
                    fe.diagnostics().error(spec.subjectSpan(), "circuit '" + sub.name() + "' resets or conditions on measurements at " + c
                            + "; a searched classifier must be unitary (its readout is ⟨Z⟩ of qubit 0)");
                    return null;
                }
            }
        }
        int inputs = sc.circuit().numInputs();
        int samples = spec.samples(), train = samples * 2 / 3, validation = samples - train;
        long seed = spec.options().seed();
        return switch (spec.task()) {
            case "moons" -> {
                if (inputs != 2) {
                    fe.diagnostics().error(spec.taskSpan(), "task \"moons\" has 2 features; circuit '" + sc.circuit().name() + "' takes " + inputs + " inputs");
                    yield null;
                }
                yield SyntheticTask.moons(train, validation, 0.1, seed);
            }
            default -> {
                if (inputs < 1 || inputs > 30) {
                    fe.diagnostics().error(spec.taskSpan(), "task \"parity\" takes one bit per circuit input, 1 to 30; circuit '" + sc.circuit().name() + "' takes " + inputs);
                    yield null;
                }
                yield SyntheticTask.parity(inputs, train, validation, 0.3, seed);
            }
        };
    }

    private void printSummary(SearchSpec.Spec spec, ClassificationTask task, QnasResult r, double seconds) {
        NoisyEvaluation best = r.search().evaluation();
        out.println();
        out.println("best: " + r.search().best().config() + "  layout " + r.layout() + " on " + spec.device().name());
        out.println(String.format(Locale.ROOT, "  noisy validation (inherited weights): loss %.4f, accuracy %.3f; %s, routed %s, %d swaps",
                best.score().loss(), best.score().accuracy(), best.logical(), best.routed(), best.routing().swaps()));
        out.println(String.format(Locale.ROOT, "  %d candidates simulated; SuperCircuit training loss %.4f; %.1f s", r.search().evaluated(), r.trainLoss(), seconds));
        out.println();
        out.println("comparison on " + spec.device().name() + " (" + task.name() + ", " + task.validation().size() + " validation samples, noisy):");
        out.println(String.format(Locale.ROOT, "  %-16s %-24s %-16s %6s %4s %9s %9s %8s", "", "configuration", "layout", "gates", "2q", "routed 2q", "accuracy", "loss"));
        row("found", r.search().best().config(), r.layout(), best);
        for (Baseline b : r.baselines()) row(b.label(), b.config(), b.layout(), b.evaluation());
        PruneStep after = r.prune().after();
        out.println(String.format(Locale.ROOT, "  %-16s %-24s %-16s %6d %4d %9d %9.3f %8.4f", "found, pruned", r.search().best().config(), r.layout(),
                after.logical().total(), after.logical().twoQubit(), after.routed().twoQubit(), after.noisy().accuracy(), after.noisy().loss()));
        out.println();
        PruneStep before = r.prune().before();
        long kept = r.prune().rounds().stream().filter(PruneStep::kept).count() - 1;
        out.println(String.format(Locale.ROOT, "pruning (%d of %d rounds kept, ratio %.2f): gates %d -> %d (two-qubit %d -> %d); accuracy noise-free %.3f -> %.3f, on %s %.3f -> %.3f",
                kept, spec.options().prune().steps(), spec.options().prune().ratio(), before.logical().total(), after.logical().total(),
                before.logical().twoQubit(), after.logical().twoQubit(), before.exact().accuracy(), after.exact().accuracy(),
                spec.device().name(), before.noisy().accuracy(), after.noisy().accuracy()));
    }

    private void row(String label, SubConfig config, List<Integer> layout, NoisyEvaluation e) {
        out.println(String.format(Locale.ROOT, "  %-16s %-24s %-16s %6d %4d %9d %9.3f %8.4f", label, config, layout,
                e.logical().total(), e.logical().twoQubit(), e.routed().twoQubit(), e.score().accuracy(), e.score().loss()));
    }

    private JsonObject toJson(SearchSpec.Spec spec, ClassificationTask task, QnasResult r, double seconds) {
        JsonObject j = new JsonObject();
        j.addProperty("search", spec.name());
        j.addProperty("circuit", spec.circuit().name());
        j.addProperty("device", spec.device().name());
        j.addProperty("task", task.name());
        j.addProperty("train_samples", task.train().size());
        j.addProperty("validation_samples", task.validation().size());
        j.addProperty("configurations", spec.space().size());
        j.addProperty("train_loss", r.trainLoss());
        j.addProperty("candidates_simulated", r.search().evaluated());
        j.addProperty("seconds", seconds);
        JsonArray gens = new JsonArray();
        for (Score s : r.search().bestPerGeneration()) gens.add(score(s));
        j.add("generations", gens);
        JsonObject best = evaluation(r.search().best().config(), r.layout(), r.search().evaluation());
        j.add("best", best);
        JsonObject baselines = new JsonObject();
        for (Baseline b : r.baselines()) baselines.add(b.label(), evaluation(b.config(), b.layout(), b.evaluation()));
        j.add("baselines", baselines);
        JsonArray rounds = new JsonArray();
        for (PruneStep s : r.prune().rounds()) {
            JsonObject p = new JsonObject();
            p.addProperty("round", s.round());
            p.addProperty("removed", s.removed());
            p.addProperty("kept", s.kept());
            p.add("logical", counts(s.logical()));
            p.add("routed", counts(s.routed()));
            p.add("noise_free", score(s.exact()));
            p.add("noisy", score(s.noisy()));
            rounds.add(p);
        }
        j.add("prune", rounds);
        return j;
    }

    private static JsonObject evaluation(SubConfig config, List<Integer> layout, NoisyEvaluation e) {
        JsonObject o = new JsonObject();
        JsonObject c = new JsonObject();
        config.values().forEach((k, v) -> {
            switch (v) {
                case Number n -> c.addProperty(k, n);
                case Boolean b -> c.addProperty(k, b);
                default -> c.addProperty(k, v.toString());
            }
        });
        o.add("configuration", c);
        JsonArray l = new JsonArray();
        layout.forEach(l::add);
        o.add("layout", l);
        o.add("logical", counts(e.logical()));
        o.add("routed", counts(e.routed()));
        o.addProperty("swaps", e.routing().swaps());
        o.add("noisy", score(e.score()));
        return o;
    }

    private static JsonObject counts(GateCounts g) {
        JsonObject o = new JsonObject();
        o.addProperty("gates", g.total());
        o.addProperty("two_qubit", g.twoQubit());
        return o;
    }

    private static JsonObject score(Score s) {
        JsonObject o = new JsonObject();
        o.addProperty("loss", s.loss());
        o.addProperty("accuracy", s.accuracy());
        return o;
    }

    static Path weightsPath(Path tml) {
        String name = tml.getFileName().toString();
        return tml.resolveSibling(name.substring(0, name.length() - ".tml".length()) + ".safetensors");
    }

    /** The chosen, pruned SubCircuit as TML, named after the file, and its weights beside it. */
    private boolean write(Path target, SearchSpec.Spec spec, QnasResult r) {
        String stem = target.getFileName().toString();
        Circuit c = r.chosen().withName(CircuitSource.identifier(stem.substring(0, stem.length() - ".tml".length())));
        PruneStep after = r.prune().after();
        String doc = String.format(Locale.ROOT, "QuantumNAS SubCircuit of '%s' at %s (searchspace '%s'), pruned to %s.%n"
                        + "Initial qubit layout on device '%s': %s (logical qubit i on physical qubit layout[i]).%n"
                        + "Noisy validation accuracy %.3f on %s; weights in %s.",
                spec.circuit().name(), r.search().best().config(), spec.name(), after.logical(), spec.device().name(), r.layout(),
                after.noisy().accuracy(), spec.device().name(), weightsPath(target).getFileName());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String p : c.params()) tensors.put(p, Tensor.scalar((float) r.prune().weights().get(p)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("tml.circuit", c.name());
        meta.put("tml.device", spec.device().name());
        meta.put("tml.layout", r.layout().toString());
        try {
            AtomicFiles.write(target, CircuitSource.print(c, doc).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(weightsPath(target), SafeTensors.encode(tensors, meta));
        } catch (IOException | RuntimeException e) {
            print((Diagnostic.fileError(target.toString(), "cannot write: " + (e.getMessage() == null ? e.toString() : e.getMessage()))));
            return false;
        }
        return true;
    }

}
