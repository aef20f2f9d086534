package tml.runtime.train;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;
import tml.runtime.autodiff.Autodiff;
import tml.runtime.autodiff.DoubleTensor;
import tml.runtime.data.LabeledData;
import tml.runtime.quantum.train.EpochStats;
import tml.runtime.quantum.train.Optimizer;
import tml.runtime.quantum.train.SoftmaxCrossEntropy;

/**
 * Trains a classifier network (hybrid ones included) with softmax cross-entropy on mini-batches.
 * The network has one input {@code [N, ...]}; each data row fills one sample of it (so a row holds
 * the product of the other axes) and a mini-batch of B rows runs as {@code [B, ...]} whatever N is
 * declared (see {@link Autodiff}). The logits output is {@code [B, classes]}. Every epoch visits the
 * training rows in a fresh order drawn from the seed; the parameters that are not buffers are
 * updated after each mini-batch from the mean loss's gradient ({@link Autodiff}, float64). Batch norm
 * stays in its inference form (running statistics are buffers, not trained), dropout is the
 * identity. Deterministic for a seed.
 */
public final class NetworkTrainer {
    private final Graph graph;
    private final NetworkTrainConfig config;
    private final Input input;
    private final String logits;

    /** Checks that {@code g} has one input and a logits output; {@link TmlRuntimeException} with the reason otherwise. */
    public NetworkTrainer(Graph g, NetworkTrainConfig config) {
        this.graph = g;
        this.config = config;
        if (g.inputs().size() != 1) {
            throw new TmlRuntimeException("network " + g.name() + " has " + g.inputs().size() + " inputs; training needs exactly one (the images)");
        }
        this.input = g.inputs().get(0);
        if (input.type().rank() < 1) throw new TmlRuntimeException("network " + g.name() + ": input '" + input.name() + "' needs a leading batch axis");
        Output out;
        if (config.output().isPresent()) {
            out = g.outputs().stream().filter(o -> o.name().equals(config.output().get())).findFirst()
                    .orElseThrow(() -> new TmlRuntimeException("network " + g.name() + " has no output '" + config.output().get() + "' (outputs: "
                            + String.join(", ", g.outputs().stream().map(Output::name).toList()) + ")"));
        } else if (g.outputs().size() == 1) {
            out = g.outputs().get(0);
        } else {
            throw new TmlRuntimeException("network " + g.name() + " has several outputs; say which one holds the logits (output = \"NAME\")");
        }
        this.logits = out.value();
        var t = g.typeOf(logits).orElseThrow();
        if (t.rank() != 2 || t.dim(0) != input.type().dim(0)) {
            throw new TmlRuntimeException("network " + g.name() + ": output '" + out.name() + "' is " + t + "; training needs logits [batch, classes]"
                    + " with the input's batch axis first");
        }
        if (trainable().isEmpty()) throw new TmlRuntimeException("network " + g.name() + " has no trainable parameters");
    }

    /** Features per sample the input takes: the product of its axes after the first. */
    public int featuresPerSample() {
        int n = 1;
        for (int i = 1; i < input.type().rank(); i++) n *= input.type().dim(i);
        return n;
    }

    /** Classes the logits output distinguishes. */
    public int classes() { return graph.typeOf(logits).orElseThrow().dim(1); }

    /** The parameters that training updates (not buffers), in graph order. */
    public ImmutableList<String> trainable() {
        return graph.params().stream().filter(p -> !p.buffer()).map(Param::name).collect(ImmutableList.toImmutableList());
    }

    /** One mini-batch's summed loss, correct predictions and gradient of the mean loss for every trainable parameter. */
    public record Step(double lossSum, int correct, int size, ImmutableMap<String, DoubleTensor> gradients) {}

    /** Forward and backward over the rows {@code rows[from..to)} of {@code data}. */
    public Step step(Map<String, DoubleTensor> params, LabeledData data, int[] rows, int from, int to) {
        Autodiff.Tape tape = Autodiff.forward(graph, Map.of(input.name(), batch(data, rows, from, to)), params);
        DoubleTensor y = tape.value(logits);
        int b = to - from, c = y.dim(1);
        double[] seed = new double[b * c], row = new double[c], grad = new double[c];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < b; i++) {
            System.arraycopy(y.data(), i * c, row, 0, c);
            int label = data.labels()[rows[from + i]];
            loss += SoftmaxCrossEntropy.loss(row, label, grad);
            if (SoftmaxCrossEntropy.argmax(row) == label) correct++;
            for (int k = 0; k < c; k++) seed[i * c + k] = grad[k] / b;
        }
        Map<String, DoubleTensor> all = Autodiff.backward(tape, Map.of(logits, DoubleTensor.wrap(y.shape(), seed)));
        ImmutableMap.Builder<String, DoubleTensor> g = ImmutableMap.builder();
        for (String p : trainable()) g.put(p, all.get(p));
        return new Step(loss, correct, b, g.buildOrThrow());
    }

    /** The input tensor {@code [to - from, ...]} of those rows. */
    DoubleTensor batch(LabeledData data, int[] rows, int from, int to) {
        int f = featuresPerSample();
        if (data.numFeatures() != f) {
            throw new TmlRuntimeException("input '" + input.name() + "' of network " + graph.name() + " takes " + f + " values per sample ("
                    + input.type() + "), the data set has " + data.numFeatures());
        }
        List<Integer> shape = new ArrayList<>(input.type().shape());
        shape.set(0, to - from);
        double[] x = new double[(to - from) * f];
        for (int i = from; i < to; i++) System.arraycopy(data.features()[rows[i]], 0, x, (i - from) * f, f);
        return DoubleTensor.wrap(shape, x);
    }

    /** Mean loss and accuracy on {@code data}, in batches of the configured size. */
    public NetworkTrainResult.Evaluated evaluate(Map<String, DoubleTensor> params, LabeledData data) {
        int[] rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        double loss = 0;
        int correct = 0;
        double[] grad = new double[classes()];
        for (int from = 0; from < rows.length; from += config.batch()) {
            int to = Math.min(rows.length, from + config.batch());
            DoubleTensor y = Autodiff.forward(graph, Map.of(input.name(), batch(data, rows, from, to)), params).value(logits);
            int c = y.dim(1);
            double[] row = new double[c];
            for (int i = 0; i < to - from; i++) {
                System.arraycopy(y.data(), i * c, row, 0, c);
                loss += SoftmaxCrossEntropy.loss(row, data.labels()[from + i], grad);
                if (SoftmaxCrossEntropy.argmax(row) == data.labels()[from + i]) correct++;
            }
        }
        int n = Math.max(1, data.size());
        return new NetworkTrainResult.Evaluated(loss / n, (double) correct / n, data.size());
    }

    /**
     * Trains from {@code initial} (every parameter, float32) and reports each epoch to {@code progress}
     * (training loss and accuracy averaged over the epoch's batches as they were trained, test figures
     * measured after the epoch).
     */
    public NetworkTrainResult train(Map<String, Tensor> initial, LabeledData train, LabeledData test, Consumer<EpochStats> progress) {
        if (train.numClasses() != classes()) {
            throw new TmlRuntimeException("network " + graph.name() + " has " + classes() + " logits but the data set has " + train.numClasses() + " classes");
        }
        if (train.size() == 0) throw new TmlRuntimeException("no training data");
        long start = System.nanoTime();
        Map<String, DoubleTensor> params = new LinkedHashMap<>();
        for (Param p : graph.params()) {
            Tensor t = initial.get(p.name());
            if (t == null) throw new TmlRuntimeException("parameter '" + p.name() + "' has no initial value");
            params.put(p.name(), DoubleTensor.of(t));
        }
        Map<String, Optimizer> optimizers = new HashMap<>();
        for (String p : trainable()) {
            int n = params.get(p).numel();
            optimizers.put(p, config.optimizer() == NetworkTrainConfig.OptimizerKind.ADAM ? Optimizer.adam(n) : Optimizer.sgd(n, config.momentum()));
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1), tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double loss = 0;
            int correct = 0;
            for (int from = 0; from < order.length; from += config.batch()) {
                Step s = step(params, train, order, from, Math.min(order.length, from + config.batch()));
                loss += s.lossSum();
                correct += s.correct();
                for (var e : s.gradients().entrySet()) {
                    optimizers.get(e.getKey()).step(params.get(e.getKey()).data(), e.getValue().data(), config.lr());
                }
            }
            NetworkTrainResult.Evaluated t = evaluate(params, test);
            EpochStats stats = new EpochStats(epoch, loss / order.length, (double) correct / order.length, t.loss(), t.accuracy(), Double.NaN,
                    (System.nanoTime() - start) / 1e9, 0);
            history.add(stats);
            progress.accept(stats);
        }
        ImmutableMap.Builder<String, Tensor> out = ImmutableMap.builder();
        params.forEach((k, v) -> out.put(k, v.toTensor()));
        NetworkTrainResult.Evaluated finalTest = history.isEmpty() ? evaluate(params, test)
                : new NetworkTrainResult.Evaluated(history.get(history.size() - 1).testLoss(), history.get(history.size() - 1).testAccuracy(), test.size());
        return new NetworkTrainResult(out.buildOrThrow(), ImmutableList.copyOf(history), finalTest, (System.nanoTime() - start) / 1e9);
    }
}
