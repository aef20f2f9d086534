package tml.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.frontend.diag.Span;
import tml.frontend.elab.PolicyReader;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.runtime.TmlRuntimeException;
import tml.runtime.data.FashionMnist;
import tml.runtime.data.LabeledData;
import tml.runtime.io.SafeTensors;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.train.CurveSvg;
import tml.runtime.quantum.train.EpochStats;
import tml.runtime.quantum.train.ParamTensors;
import tml.runtime.quantum.train.QnnModel;
import tml.runtime.quantum.train.TrainConfig;
import tml.runtime.quantum.train.TrainResult;
import tml.runtime.quantum.train.Trainer;

/**
 * {@code tmlc train FILE [--train NAME] [--param k=v] -o W.safetensors [--curve C.svg]
 * [--limit-train N] [--limit-test N] [--seed S] [--json]}: trains the circuit of a {@code train} declaration
 * on its data set, printing one line per epoch, and writes the parameters so that
 * {@code tmlc run FILE --weights W.safetensors} uses them.
 */
final class TrainCommand {
    private final Options o;
    private final PrintStream out, err;
    private final boolean jsonDiagnostics;

    TrainCommand(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        this.jsonDiagnostics = o.one("diagnostic-format").orElse("text").equals("json");
    }

    int run() throws UsageException {
        String file = o.singleFile();
        Path weights = Path.of(o.one("o").orElseThrow(() -> new UsageException("'tmlc train' needs -o WEIGHTS.safetensors")));
        Optional<Integer> limitTrain = positive("limit-train"), limitTest = positive("limit-test");
        Frontend fe = new Frontend(o.all("I").stream().map(Path::of).toList());
        if (fe.load(Path.of(file)).isEmpty() || fe.diagnostics().hasErrors()) return flush(fe);
        if (NetworkTrainCommand.trainsNetwork(fe, o.one("train"))) return new NetworkTrainCommand(o, out, err).run(fe, weights, limitTrain, limitTest);
        Optional<TrainPolicy.Spec> found = TrainPolicy.read(fe, o.one("train"));
        if (found.isEmpty() || fe.diagnostics().hasErrors()) return flush(fe);
        TrainPolicy.Spec spec = found.get();
        Optional<Decl.Circuit> decl = circuitOf(fe, spec);
        if (decl.isEmpty()) return flush(fe);
        Optional<Circuit> elaborated = fe.elaborateCircuit(decl.get(), o.pairs("param"));
        if (elaborated.isEmpty()) return flush(fe);
        Circuit c = elaborated.get();
        Optional<NoiseModel> noise = Optional.empty();
        Optional<Device> device = Optional.empty();
        if (spec.deviceName().isPresent()) {
            PolicyReader.Policy section = fe.policy("train", Optional.of(spec.name())).orElseThrow().sections().get("noise");
            device = TrainPolicy.device(fe, section, spec.deviceName().get(), c.numQubits());
            noise = device.map(NoiseModel::fromDevice);
        }
        String problem = QnnModel.problem(c, spec.classes().size(), spec.readout());
        if (problem != null) fe.diagnostics().error(spec.nameSpan(), problem);
        int features = spec.features().orElse(c.numInputs());
        if (spec.features().isPresent() && features != c.numInputs()) {
            fe.diagnostics().error(spec.featuresSpan().orElseThrow(), "'features' is " + features + " but circuit " + c.name() + " takes " + c.numInputs() + " inputs");
        } else if (!TrainPolicy.validFeatures(features)) {
            fe.diagnostics().error(spec.nameSpan(), "circuit " + c.name() + " takes " + c.numInputs() + " inputs; Fashion-MNIST gives " + TrainPolicy.KEYS.get("features"));
        }
        if (!FashionMnist.available(spec.dataDir())) {
            fe.diagnostics().error(spec.nameSpan(), "Fashion-MNIST is not in " + spec.dataDir()
                    + " (install Debian's dataset-fashion-mnist, or set data_dir to a directory with train-images-idx3-ubyte.gz and the other three files)");
        }
        if (fe.diagnostics().hasErrors()) return flush(fe);
        flush(fe); // warnings

        QnnModel model = new QnnModel(c, spec.classes().size(), spec.readout(), spec.normalize(), spec.quantizer());
        TrainConfig declared = spec.config(noise);
        TrainConfig cfg = o.one("seed").isPresent() ? declared.withEpochs(declared.epochs(), declared.batch(), seed()) : declared;
        int grid = (int) Math.round(Math.sqrt(features));
        LabeledData train, test;
        try {
            train = FashionMnist.load(spec.dataDir(), FashionMnist.Split.TRAIN, spec.classes(), grid, spec.scale());
            test = FashionMnist.load(spec.dataDir(), FashionMnist.Split.TEST, spec.classes(), grid, spec.scale());
        } catch (TmlRuntimeException e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        }
        train = train.limit(Math.min(limitTrain.orElse(Integer.MAX_VALUE), spec.trainSamples().orElse(Integer.MAX_VALUE)));
        test = test.limit(Math.min(limitTest.orElse(Integer.MAX_VALUE), spec.testSamples().orElse(Integer.MAX_VALUE)));
        boolean json = o.flag("json");
        if (!json) out.println(header(spec, c, model, cfg, device, train, test));
        TrainResult r = new Trainer(model, cfg).train(train, test, e -> { if (!json) out.println(epochLine(e, cfg)); });

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("tml.circuit", c.name());
        meta.put("tml.classes", spec.classes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        meta.put("tml.readout", spec.readout().key());
        r.normalization().ifPresent(nrm -> {
            meta.put("tml.normalize.mean", join(nrm.runningMean()));
            meta.put("tml.normalize.var", join(nrm.runningVar()));
        });
        meta.put("tml.test_accuracy", Double.toString(r.test().accuracy()));
        try {
            write(weights, SafeTensors.encode(ParamTensors.of(c, r.params()), meta));
            if (o.one("curve").isPresent()) {
                String title = c.name() + ": " + String.join(" vs ", train.classNames()) + " (" + train.size() + " train, " + test.size() + " test)";
                write(Path.of(o.one("curve").get()), CurveSvg.render(title, r.history()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            err.println("tmlc: error: cannot write: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return Main.ERRORS;
        }
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(toJson(spec, c, cfg, train, test, r)));
        } else {
            out.println(String.format(Locale.ROOT, "test accuracy %.4f (%d images)", r.test().accuracy(), r.test().samples())
                    + r.noisyTest().map(n -> String.format(Locale.ROOT, ", under noise %.4f", n.accuracy())).orElse("")
                    + String.format(Locale.ROOT, "; %d training circuit runs; %.1f s", r.circuitRuns(), r.seconds()));
            out.println("wrote " + weights + o.one("curve").map(x -> " and " + x).orElse(""));
        }
        return Main.OK;
    }

    private long seed() throws UsageException {
        try {
            return Long.parseLong(o.one("seed").orElseThrow());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElseThrow() + "'");
        }
    }

    private Optional<Integer> positive(String option) throws UsageException {
        Optional<String> v = o.one(option);
        if (v.isEmpty()) return Optional.empty();
        try {
            int n = Integer.parseInt(v.get());
            if (n > 0) return Optional.of(n);
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--" + option + " needs a positive integer, got '" + v.get() + "'");
    }

    /** The circuit named after 'for', or the file's only circuit. */
    private static Optional<Decl.Circuit> circuitOf(Frontend fe, TrainPolicy.Spec spec) {
        if (spec.circuit().isEmpty()) return fe.circuit(Optional.empty());
        Optional<Decl.Circuit> c = fe.circuits().stream().filter(x -> x.name().equals(spec.circuit().get())).findFirst();
        if (c.isEmpty()) {
            Span at = spec.circuitSpan().orElse(spec.nameSpan());
            fe.diagnostics().error(at, "no circuit named '" + spec.circuit().get() + "' to train"
                    + tml.frontend.elab.Suggest.closest(spec.circuit().get(), fe.circuits().stream().map(Decl.Circuit::name).toList())
                            .map(s -> "; did you mean '" + s + "'?").orElse(""));
        }
        return c;
    }

    private static String header(TrainPolicy.Spec spec, Circuit c, QnnModel m, TrainConfig cfg, Optional<Device> device, LabeledData train, LabeledData test) {
        StringBuilder s = new StringBuilder();
        s.append("training circuit ").append(c.name()).append(" (").append(c.numQubits()).append(" qubits, ").append(c.params().size()).append(" parameters, ")
                .append(c.gates().size()).append(" gates) on Fashion-MNIST ");
        for (int i = 0; i < spec.classes().size(); i++) s.append(i == 0 ? "" : " vs ").append(spec.classes().get(i)).append(" '").append(train.classNames().get(i)).append("'");
        s.append(": ").append(train.size()).append(" train, ").append(test.size()).append(" test images, ").append(train.numFeatures()).append(" features\n");
        s.append(cfg.optimizer().name().toLowerCase(Locale.ROOT)).append(" lr ").append(cfg.lr()).append(cfg.schedule() == TrainConfig.Schedule.COSINE ? " (cosine)" : "")
                .append(", batch ").append(cfg.batch()).append(", ").append(cfg.epochs()).append(" epochs, seed ").append(cfg.seed())
                .append(", gradient ").append(cfg.gradient() == TrainConfig.Method.ADJOINT ? "adjoint" : "parameter-shift")
                .append(cfg.shots() > 0 ? " (" + cfg.shots() + " shots per run)" : "")
                .append(", readout ").append(m.readout().key())
                .append(m.normalize() ? ", normalized (" + cfg.normStats().name().toLowerCase(Locale.ROOT) + " statistics at test)" : "")
                .append(m.quantizer().map(q -> ", quantized to " + q.levels() + " levels in ±" + q.range()).orElse(""));
        cfg.pruning().ifPresent(p -> s.append(", QOC pruning ratio ").append(p.ratio()).append(" windows ").append(p.window()).append('/').append(p.pruneWindow()));
        device.ifPresent(d -> s.append("\nnoise: device ").append(d.name()).append(cfg.injection().map(i -> ", injected during training (factor " + i.factor() + ", " + i.draws() + " draw" + (i.draws() == 1 ? "" : "s") + " per sample)").orElse(""))
                .append(cfg.noisyGradients() ? ", gradients on the noisy simulator" : "").append("; test accuracy also on the density-matrix simulator"));
        return s.toString();
    }

    private static String epochLine(EpochStats e, TrainConfig cfg) {
        String s = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f", e.epoch(), cfg.epochs(),
                e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy());
        if (!Double.isNaN(e.noisyTestAccuracy())) s += String.format(Locale.ROOT, "  noisy test acc %.4f", e.noisyTestAccuracy());
        if (cfg.gradient() == TrainConfig.Method.PARAMETER_SHIFT) s += "  runs " + e.circuitRuns();
        return s + String.format(Locale.ROOT, "  %.1f s", e.seconds());
    }

    private static JsonObject toJson(TrainPolicy.Spec spec, Circuit c, TrainConfig cfg, LabeledData train, LabeledData test, TrainResult r) {
        JsonObject j = new JsonObject();
        j.addProperty("circuit", c.name());
        JsonArray classes = new JsonArray();
        spec.classes().forEach(classes::add);
        j.add("classes", classes);
        j.addProperty("train_samples", train.size());
        j.addProperty("test_samples", test.size());
        j.addProperty("parameters", c.params().size());
        j.addProperty("gradient", cfg.gradient() == TrainConfig.Method.ADJOINT ? "adjoint" : "parameter-shift");
        j.addProperty("test_accuracy", r.test().accuracy());
        j.addProperty("test_loss", r.test().loss());
        r.noisyTest().ifPresent(n -> j.addProperty("noisy_test_accuracy", n.accuracy()));
        j.addProperty("circuit_runs", r.circuitRuns());
        j.addProperty("seconds", r.seconds());
        JsonArray hist = new JsonArray();
        for (EpochStats e : r.history()) {
            JsonObject h = new JsonObject();
            h.addProperty("epoch", e.epoch());
            h.addProperty("train_loss", e.trainLoss());
            h.addProperty("train_accuracy", e.trainAccuracy());
            h.addProperty("test_loss", e.testLoss());
            h.addProperty("test_accuracy", e.testAccuracy());
            if (!Double.isNaN(e.noisyTestAccuracy())) h.addProperty("noisy_test_accuracy", e.noisyTestAccuracy());
            h.addProperty("circuit_runs", e.circuitRuns());
            h.addProperty("seconds", e.seconds());
            hist.add(h);
        }
        j.add("history", hist);
        return j;
    }

    private static String join(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    /** Atomic for regular files; devices such as /dev/null are written directly. */
    private static void write(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) Files.write(target, bytes);
        else AtomicFiles.write(target, bytes);
    }

    private int flush(Frontend fe) {
        for (Diagnostic d : fe.diagnostics().all()) err.print(jsonDiagnostics ? DiagnosticRenderer.json(d) + "\n" : DiagnosticRenderer.text(d));
        return fe.diagnostics().hasErrors() ? Main.ERRORS : Main.OK;
    }
}
