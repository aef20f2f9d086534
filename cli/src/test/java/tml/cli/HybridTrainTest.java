package tml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.frontend.Frontend;
import tml.ir.graph.Graph;
import tml.ir.graph.Op;
import tml.ir.graph.ParamInit;
import tml.ir.graph.TensorType;
import tml.runtime.Tensor;
import tml.runtime.Weights;
import tml.runtime.autodiff.DoubleTensor;
import tml.runtime.data.FashionMnist;
import tml.runtime.data.LabeledData;
import tml.runtime.io.Npy;
import tml.runtime.quantum.train.EpochStats;
import tml.runtime.train.NetworkTrainConfig;
import tml.runtime.train.NetworkTrainResult;
import tml.runtime.train.NetworkTrainer;

/**
 * The hybrid example (examples/hybrid_fashion.tml: avg pool, linear, a 4-qubit circuit layer, linear)
 * on a small Fashion-MNIST subset: training lowers the loss and beats chance, and the gradient that
 * reaches the linear layer before the circuit (through the circuit's input features) is nonzero and
 * matches finite differences. Needs Debian's dataset-fashion-mnist (skipped without it).
 */
class HybridTrainTest {
    static final Path ROOT = root();
    static final Path EXAMPLE = ROOT.resolve("examples/hybrid_fashion.tml");
    static final List<Integer> CLASSES = List.of(0, 1, 2, 3);

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/hybrid_fashion.tml"))) return p;
        }
        throw new IllegalStateException("cannot find examples/hybrid_fashion.tml");
    }

    static Graph hybrid() {
        System.setProperty("tml.home", ROOT.toString());
        Frontend fe = new Frontend(List.of());
        assertTrue(fe.load(EXAMPLE).isPresent());
        Optional<Graph> g = fe.elaborate(fe.network(Optional.of("Hybrid")).orElseThrow(), Map.of());
        assertTrue(g.isPresent(), fe.diagnostics().all().toString());
        return g.get();
    }

    static NetworkTrainConfig adam(int epochs) {
        return new NetworkTrainConfig(NetworkTrainConfig.OptimizerKind.ADAM, 0.02, 0.9, epochs, 32, 0, Optional.empty());
    }

    @Test
    void theExampleElaboratesToACircuitLayerWithOneWeightVector() {
        Graph g = hybrid();
        Op.Quantum q = (Op.Quantum) g.node("qnn_layer").orElseThrow().op();
        assertEquals(4, q.circuit().numQubits());
        assertEquals(16, q.circuit().numInputs());
        assertEquals(24, q.circuit().params().size());
        assertEquals(List.of("pre", "qnn_layer.weights"), g.node("qnn_layer").orElseThrow().operands());
        var w = g.param("qnn_layer.weights").orElseThrow();
        assertEquals(TensorType.f32(24), w.type());
        assertEquals(new ParamInit.Uniform(Math.PI), w.init());
    }

    @Test
    void trainingLowersTheLossAndBeatsChance() {
        assumeTrue(FashionMnist.available(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        Graph g = hybrid();
        LabeledData train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN, CLASSES, 28, 1.0).limit(800);
        LabeledData test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, CLASSES, 28, 1.0).limit(400);
        NetworkTrainer trainer = new NetworkTrainer(g, adam(3));
        Map<String, Tensor> initial = Weights.initialize(g, 0);
        Map<String, DoubleTensor> start = new HashMap<>();
        initial.forEach((k, v) -> start.put(k, DoubleTensor.of(v)));
        NetworkTrainResult.Evaluated before = trainer.evaluate(start, test);
        NetworkTrainResult r = trainer.train(initial, train, test, e -> { });
        List<EpochStats> h = r.history();
        assertEquals(3, h.size());
        String figures = "before: " + before + ", history: " + h;
        assertTrue(h.get(2).trainLoss() < h.get(0).trainLoss(), figures);
        assertTrue(r.test().loss() < before.loss() - 0.2, figures);
        assertTrue(r.test().accuracy() >= 0.55, figures); // chance is 0.25
        assertEquals(g.params().size(), r.params().size());
    }

    @Test
    void theGradientFlowsThroughTheCircuitIntoTheLinearLayerBeforeIt() {
        Graph g = hybrid();
        LabeledData data = batchOfImages();
        NetworkTrainer trainer = new NetworkTrainer(g, adam(1));
        Map<String, DoubleTensor> params = new HashMap<>();
        Weights.initialize(g, 3).forEach((k, v) -> params.put(k, DoubleTensor.of(v)));
        int[] rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        NetworkTrainer.Step step = trainer.step(params, data, rows, 0, rows.length);
        double[] gw = step.gradients().get("pre.weight").data(), gb = step.gradients().get("pre.bias").data();
        double largest = 0;
        for (double v : gw) largest = Math.max(largest, Math.abs(v));
        assertTrue(largest > 1e-3, "the gradient of pre.weight is (nearly) zero: " + largest);
        SplittableRandom r = new SplittableRandom(5);
        for (String name : List.of("pre.weight", "pre.bias", "qnn_layer.weights", "head.weight")) {
            double[] grad = step.gradients().get(name).data();
            for (int k = 0; k < 4; k++) {
                int i = r.nextInt(grad.length);
                double numeric = centralDifference(trainer, params, data, rows, name, i);
                assertEquals(numeric, grad[i], 1e-8 + 1e-6 * Math.abs(numeric), name + "[" + i + "]");
            }
        }
        assertTrue(java.util.Arrays.stream(gb).anyMatch(v -> v != 0));
    }

    /** (L(p + ε e_i) − L(p − ε e_i)) / 2ε of the mean batch loss, ε = 1e-6, float64. */
    private static double centralDifference(NetworkTrainer t, Map<String, DoubleTensor> params, LabeledData data, int[] rows, String name, int i) {
        double eps = 1e-6, base = params.get(name).data()[i];
        Map<String, DoubleTensor> shifted = new HashMap<>(params);
        DoubleTensor copy = params.get(name).copy();
        shifted.put(name, copy);
        copy.data()[i] = base + eps;
        double plus = t.step(shifted, data, rows, 0, rows.length).lossSum();
        copy.data()[i] = base - eps;
        double minus = t.step(shifted, data, rows, 0, rows.length).lossSum();
        return (plus - minus) / (2 * eps) / rows.length;
    }

    /** 8 Fashion-MNIST images when installed, else 8 random images: the gradient check needs no particular data. */
    private static LabeledData batchOfImages() {
        if (FashionMnist.available(FashionMnist.DEFAULT_DIR)) {
            return FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, CLASSES, 28, 1.0).limit(8);
        }
        SplittableRandom r = new SplittableRandom(1);
        double[][] x = new double[8][784];
        int[] y = new int[8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 784; j++) x[i][j] = r.nextDouble();
            y[i] = i % 4;
        }
        return new LabeledData(x, y, 4, com.google.common.collect.ImmutableList.of("a", "b", "c", "d"));
    }

    @Test
    void tmlcTrainWritesWeightsThatTmlcRunUses(@TempDir Path dir) throws Exception {
        assumeTrue(FashionMnist.available(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        Path weights = dir.resolve("hybrid.safetensors"), curve = dir.resolve("hybrid.svg"), image = dir.resolve("image.npy");
        String[] out = tmlc("train", EXAMPLE.toString(), "-o", weights.toString(), "--curve", curve.toString(), "--limit-train", "256", "--limit-test", "128");
        assertEquals("0", out[0], out[1] + out[2]);
        assertTrue(out[1].contains("training network Hybrid (316 parameters, quantum layer qnn_layer)"), out[1]);
        assertTrue(out[1].contains("epoch 3/3"), out[1]);
        assertTrue(out[1].contains("test accuracy"), out[1]);
        assertTrue(Files.size(weights) > 0 && Files.readString(curve).startsWith("<svg"));
        LabeledData one = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, CLASSES, 28, 1.0).limit(1);
        float[] pixels = new float[784];
        for (int i = 0; i < 784; i++) pixels[i] = (float) one.features()[0][i];
        Npy.write(Tensor.of(List.of(1, 1, 28, 28), pixels), image);
        String[] run = tmlc("run", EXAMPLE.toString(), "--weights", weights.toString(), "--input", "image=" + image);
        assertEquals("0", run[0], run[1] + run[2]);
        assertTrue(run[1].startsWith("logits: f32[1,4]"), run[1]);
    }

    private static String[] tmlc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
