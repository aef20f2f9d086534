package tml.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Expr;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.frontend.elab.PolicyReader;
import tml.ir.graph.Graph;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.runtime.TmlRuntimeException;
import tml.runtime.Weights;
import tml.runtime.data.FashionMnist;
import tml.runtime.data.LabeledData;
import tml.runtime.io.SafeTensors;
import tml.runtime.quantum.train.CurveSvg;
import tml.runtime.quantum.train.EpochStats;
import tml.runtime.train.NetworkTrainResult;
import tml.runtime.train.NetworkTrainer;

/**
 * {@code tmlc train FILE [--train NAME] [--param k=v] -o W.safetensors [--curve C.svg]
 * [--limit-train N] [--limit-test N] [--json]} when the train declaration's subject is a network
 * (hybrid ones included): trains it with softmax cross-entropy on Fashion-MNIST images ([1, 28, 28]
 * values in [0, 1] per sample), printing one line per epoch, and writes every parameter under its
 * graph name, so that {@code tmlc run FILE --weights W.safetensors} uses them. {@link TrainCommand}
 * hands over here ({@link #trainsNetwork}).
 */
final class NetworkTrainCommand {
    private final Options o;
    private final PrintStream out, err;
    private final boolean jsonDiagnostics;

    NetworkTrainCommand(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        this.jsonDiagnostics = o.one("diagnostic-format").orElse("text").equals("json");
    }

    /**
     * True when the chosen train declaration (the named one, or the only one) is {@code for} a network
     * of the file, or has no subject in a file with one network and no circuit.
     */
    static boolean trainsNetwork(Frontend fe, Optional<String> trainName) {
        Optional<Decl.Policy> decl = trainDecl(fe, trainName);
        if (decl.isEmpty()) return false;
        if (decl.get().subject().isEmpty()) return fe.circuits().isEmpty() && fe.networks().size() == 1;
        return decl.get().subject().get() instanceof Expr.Name subject && fe.networks().stream().anyMatch(n -> n.name().equals(subject.name()));
    }

    private static Optional<Decl.Policy> trainDecl(Frontend fe, Optional<String> trainName) {
        if (fe.mainModule().isEmpty()) return Optional.empty();
        var found = fe.mainModule().get().file().decls().stream()
                .filter(d -> d instanceof Decl.Policy p && p.kind().equals("train") && (trainName.isEmpty() || p.name().equals(trainName.get())))
                .map(d -> (Decl.Policy) d).toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Trains on an already loaded file; {@code weights} is where the parameters go. */
    int run(Frontend fe, Path weights, Optional<Integer> limitTrain, Optional<Integer> limitTest) throws UsageException {
        Optional<PolicyReader.Policy> policy = fe.policy("train", o.one("train"));
        if (policy.isEmpty() || fe.diagnostics().hasErrors()) return flush(fe);
        String subject = policy.get().subject().orElseGet(() -> fe.networks().get(0).name());
        Decl.Network net = fe.networks().stream().filter(n -> n.name().equals(subject)).findFirst().orElseThrow();
        Optional<Graph> elaborated = fe.elaborate(net, o.pairs("param"));
        if (elaborated.isEmpty()) return flush(fe);
        Graph g = elaborated.get();
        int logits = g.outputs().size() == 1 ? g.typeOf(g.outputs().get(0).value()).map(t -> t.dim(-1)).orElse(2) : 2;
        Map<String, tml.frontend.diag.Span> keySpans = new LinkedHashMap<>();
        for (var s : trainDecl(fe, o.one("train")).orElseThrow().body().stmts()) {
            if (s instanceof tml.frontend.ast.Stmt.Property p) keySpans.putIfAbsent(p.key() + p.selector().map(x -> " \"" + x + "\"").orElse(""), p.keySpan());
        }
        Optional<NetworkTrainPolicy.Spec> found = NetworkTrainPolicy.read(policy.get(), keySpans, logits, fe.diagnostics());
        if (found.isEmpty()) return flush(fe);
        NetworkTrainPolicy.Spec spec = found.get();
        if (!FashionMnist.available(spec.dataDir())) {
            fe.diagnostics().error(spec.nameSpan(), "Fashion-MNIST is not in " + spec.dataDir()
                    + " (install Debian's dataset-fashion-mnist, or set data_dir to a directory with train-images-idx3-ubyte.gz and the other three files)");
        }
        NetworkTrainer trainer = null;
        try {
            trainer = new NetworkTrainer(g, spec.config());
            if (trainer.featuresPerSample() != FashionMnist.SIDE * FashionMnist.SIDE) {
                fe.diagnostics().error(net.nameSpan(), "network " + g.name() + " takes " + g.inputs().get(0).type() + "; a Fashion-MNIST sample is 784 values ([1, 28, 28] after the batch axis)");
            }
        } catch (TmlRuntimeException e) {
            fe.diagnostics().error(spec.nameSpan(), e.getMessage());
        }
        if (fe.diagnostics().hasErrors()) return flush(fe);
        flush(fe); // warnings

        LabeledData train, test;
        try {
            train = FashionMnist.load(spec.dataDir(), FashionMnist.Split.TRAIN, spec.classes(), FashionMnist.SIDE, 1.0);
            test = FashionMnist.load(spec.dataDir(), FashionMnist.Split.TEST, spec.classes(), FashionMnist.SIDE, 1.0);
        } catch (TmlRuntimeException e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        }
        train = train.limit(Math.min(limitTrain.orElse(Integer.MAX_VALUE), spec.trainSamples().orElse(Integer.MAX_VALUE)));
        test = test.limit(Math.min(limitTest.orElse(Integer.MAX_VALUE), spec.testSamples().orElse(Integer.MAX_VALUE)));
        boolean json = o.flag("json");
        if (!json) out.println(header(g, spec, train, test));
        NetworkTrainResult r;
        try {
            Map<String, tml.runtime.Tensor> initial = Weights.initialize(g, spec.config().seed());
            if (!json) {
                Map<String, tml.runtime.autodiff.DoubleTensor> start = new LinkedHashMap<>();
                initial.forEach((k, v) -> start.put(k, tml.runtime.autodiff.DoubleTensor.of(v)));
                NetworkTrainResult.Evaluated before = trainer.evaluate(start, test);
                out.println(String.format(Locale.ROOT, "before training  test loss %.4f  test acc %.4f", before.loss(), before.accuracy()));
            }
            r = trainer.train(initial, train, test, e -> { if (!json) out.println(epochLine(e, spec)); });
        } catch (TmlRuntimeException e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("tml.network", g.name());
        meta.put("tml.classes", spec.classes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        meta.put("tml.test_accuracy", Double.toString(r.test().accuracy()));
        try {
            write(weights, SafeTensors.encode(r.params(), meta));
            if (o.one("curve").isPresent()) {
                String title = g.name() + ": " + String.join(", ", train.classNames()) + " (" + train.size() + " train, " + test.size() + " test)";
                write(Path.of(o.one("curve").get()), CurveSvg.render(title, r.history()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            err.println("tmlc: error: cannot write: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return Main.ERRORS;
        }
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(toJson(g, spec, train, test, r)));
        } else {
            out.println(String.format(Locale.ROOT, "test accuracy %.4f (%d images, chance %.4f); %.1f s", r.test().accuracy(), r.test().samples(),
                    1.0 / spec.classes().size(), r.seconds()));
            out.println("wrote " + weights + o.one("curve").map(x -> " and " + x).orElse(""));
        }
        return Main.OK;
    }

    private static String header(Graph g, NetworkTrainPolicy.Spec spec, LabeledData train, LabeledData test) {
        long quantum = g.nodes().stream().filter(n -> n.op() instanceof Op.Quantum).count();
        String circuits = g.nodes().stream().filter(n -> n.op() instanceof Op.Quantum).map(Node::name).collect(Collectors.joining(", "));
        StringBuilder s = new StringBuilder("training network ").append(g.name()).append(" (").append(g.parameterCount()).append(" parameters")
                .append(quantum > 0 ? ", quantum layer" + (quantum == 1 ? " " : "s ") + circuits : "").append(") on Fashion-MNIST ");
        for (int i = 0; i < spec.classes().size(); i++) s.append(i == 0 ? "" : ", ").append(spec.classes().get(i)).append(" '").append(train.classNames().get(i)).append("'");
        s.append(": ").append(train.size()).append(" train, ").append(test.size()).append(" test images\n");
        var c = spec.config();
        s.append(c.optimizer().name().toLowerCase(Locale.ROOT)).append(" lr ").append(c.lr())
                .append(c.optimizer() == tml.runtime.train.NetworkTrainConfig.OptimizerKind.SGD ? " momentum " + c.momentum() : "")
                .append(", batch ").append(c.batch()).append(", ").append(c.epochs()).append(" epochs, seed ").append(c.seed())
                .append(", softmax cross-entropy, gradients by reverse-mode autodiff (float64)").append(quantum > 0 ? " with adjoint differentiation through the circuits" : "");
        return s.toString();
    }

    private static String epochLine(EpochStats e, NetworkTrainPolicy.Spec spec) {
        return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f  %.1f s", e.epoch(), spec.config().epochs(),
                e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.seconds());
    }

    private static JsonObject toJson(Graph g, NetworkTrainPolicy.Spec spec, LabeledData train, LabeledData test, NetworkTrainResult r) {
        JsonObject j = new JsonObject();
        j.addProperty("network", g.name());
        JsonArray classes = new JsonArray();
        spec.classes().forEach(classes::add);
        j.add("classes", classes);
        j.addProperty("train_samples", train.size());
        j.addProperty("test_samples", test.size());
        j.addProperty("parameters", g.parameterCount());
        j.addProperty("test_accuracy", r.test().accuracy());
        j.addProperty("test_loss", r.test().loss());
        j.addProperty("seconds", r.seconds());
        JsonArray hist = new JsonArray();
        for (EpochStats e : r.history()) {
            JsonObject h = new JsonObject();
            h.addProperty("epoch", e.epoch());
            h.addProperty("train_loss", e.trainLoss());
            h.addProperty("train_accuracy", e.trainAccuracy());
            h.addProperty("test_loss", e.testLoss());
            h.addProperty("test_accuracy", e.testAccuracy());
            h.addProperty("seconds", e.seconds());
            hist.add(h);
        }
        j.add("history", hist);
        return j;
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
