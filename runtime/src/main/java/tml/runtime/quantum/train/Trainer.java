package tml.runtime.quantum.train;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;
import tml.runtime.data.LabeledData;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * Mini-batch training of a {@link QnnModel}: parameters start uniform in [−π, π) from the seed;
 * each epoch visits the training set in a seeded random order, in batches; each batch runs the
 * circuit per sample (with injected noise if asked), passes the batch's expectations through the
 * {@link QnnHead}, averages the softmax cross-entropy, back-propagates to per-sample weights on the
 * qubits' expectations and turns those into parameter gradients with the {@link GradientMethod}
 * (QOC pruning decides which), then takes an optimizer step. Single-threaded and deterministic:
 * the same inputs and seed give bit-identical results.
 */
public final class Trainer {
    private final QnnModel model;
    private final TrainConfig cfg;
    private final StatevectorSimulator sim = new StatevectorSimulator(1, Integer.MAX_VALUE);

    public Trainer(QnnModel model, TrainConfig cfg) {
        this.model = model;
        this.cfg = cfg;
    }

    public TrainResult train(LabeledData train, LabeledData test, Consumer<EpochStats> progress) {
        check(train);
        check(test);
        if (train.size() == 0) throw new IllegalArgumentException("no training samples");
        long start = System.nanoTime();
        Circuit c = model.unitary();
        SplittableRandom root = new SplittableRandom(cfg.seed());
        double[] params = initialParams(model.numParams(), root.split());
        SplittableRandom orderRng = root.split(), noiseRng = root.split();
        Optimizer opt = cfg.optimizer() == TrainConfig.OptimizerKind.ADAM ? Optimizer.adam(params.length) : Optimizer.sgd(params.length, cfg.momentum());
        QnnHead head = new QnnHead(model);
        Optional<DensityMatrixSimulator> dm = cfg.noise().map(DensityMatrixSimulator::new);
        Optional<DensityMatrixSimulator> onDevice = cfg.noisyGradients() ? Optional.of(dm.orElseThrow()) : Optional.empty();
        Backend shiftBackend = cfg.shots() > 0 ? new Backend.Sampled(sim, onDevice, cfg.shots(), root.split())
                : onDevice.isPresent() ? new Backend.Noisy(onDevice.get()) : new Backend.Exact(sim);
        GradientMethod method = cfg.gradient() == TrainConfig.Method.ADJOINT ? new GradientMethod.Adjoint(sim) : new GradientMethod.Shift(shiftBackend);
        Optional<GradientPruner> pruner = cfg.pruning().map(p -> new GradientPruner(params.length, p.ratio(), p.window(), p.pruneWindow(), root.split().nextLong()));
        Optional<NoiseInjector> injector = cfg.injection().map(i -> new NoiseInjector(cfg.noise().orElseThrow(), i.factor()));
        int draws = cfg.injection().map(TrainConfig.Injection::draws).orElse(1);

        int n = train.size(), stepsPerEpoch = (n + cfg.batch() - 1) / cfg.batch(), totalSteps = stepsPerEpoch * cfg.epochs();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        List<EpochStats> history = new ArrayList<>();
        long runs = 0;
        int step = 0;
        Evaluation lastTest = null;
        Optional<Evaluation> lastNoisy = Optional.empty();
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            shuffle(order, orderRng);
            double lossSum = 0;
            int correct = 0;
            for (int s = 0; s < n; s += cfg.batch()) {
                int[] idx = Arrays.copyOfRange(order, s, Math.min(n, s + cfg.batch()));
                boolean[] active = pruner.map(GradientPruner::mask).orElseGet(() -> all(params.length));
                Tape[] tapes = new Tape[idx.length];
                double[][] z = new double[idx.length][];
                for (int b = 0; b < idx.length; b++) {
                    if (injector.isPresent()) {
                        Tape[] drawn = new Tape[draws];
                        for (int d = 0; d < draws; d++) drawn[d] = method.forward(injector.get().inject(c, noiseRng), params, train.features()[idx[b]], active);
                        tapes[b] = Tape.mean(drawn);
                        z[b] = Backend.readout(cfg.noise().get(), tapes[b].expectations());
                    } else {
                        tapes[b] = method.forward(c, params, train.features()[idx[b]], active);
                        z[b] = tapes[b].expectations();
                    }
                    runs += tapes[b].circuitRuns();
                }
                double[][] logits = head.forwardTrain(z);
                double[][] dLogits = new double[idx.length][model.numClasses()];
                for (int b = 0; b < idx.length; b++) {
                    int y = train.labels()[idx[b]];
                    lossSum += SoftmaxCrossEntropy.loss(logits[b], y, dLogits[b]);
                    if (SoftmaxCrossEntropy.argmax(logits[b]) == y) correct++;
                    for (int k = 0; k < dLogits[b].length; k++) dLogits[b][k] /= idx.length;
                }
                double[][] dz = head.backward(dLogits);
                double[] grad = new double[params.length];
                for (int b = 0; b < idx.length; b++) {
                    if (injector.isPresent()) for (int q = 0; q < dz[b].length; q++) dz[b][q] *= Backend.readoutSlope(cfg.noise().get(), q);
                    double[] g = tapes[b].vjp(dz[b]);
                    for (int k = 0; k < grad.length; k++) grad[k] += g[k];
                }
                pruner.ifPresent(p -> p.record(grad));
                opt.step(params, grad, learningRate(step++, totalSteps));
            }
            lastTest = evaluate(model, params, head, test, new Backend.Exact(sim), cfg.normStats());
            lastNoisy = dm.map(d -> evaluate(model, params, head, test, new Backend.Noisy(d), cfg.normStats()));
            EpochStats st = new EpochStats(epoch, lossSum / n, (double) correct / n, lastTest.loss(), lastTest.accuracy(),
                    lastNoisy.map(Evaluation::accuracy).orElse(Double.NaN), (System.nanoTime() - start) / 1e9, runs);
            history.add(st);
            progress.accept(st);
        }
        return new TrainResult(params, head.normalization(), ImmutableList.copyOf(history), lastTest, lastNoisy, runs, (System.nanoTime() - start) / 1e9);
    }

    /** The starting parameters of a run with this seed: uniform in [−π, π). */
    public static double[] initialParams(int count, long seed) { return initialParams(count, new SplittableRandom(seed).split()); }

    private static double[] initialParams(int count, SplittableRandom rng) {
        double[] p = new double[count];
        for (int k = 0; k < count; k++) p[k] = (rng.nextDouble() * 2 - 1) * Math.PI;
        return p;
    }

    private double learningRate(int step, int total) {
        return cfg.schedule() == TrainConfig.Schedule.CONSTANT ? cfg.lr() : cfg.lr() * 0.5 * (1 + Math.cos(Math.PI * step / total));
    }

    private void check(LabeledData d) {
        if (d.size() > 0 && d.numFeatures() != model.circuit().numInputs())
            throw new IllegalArgumentException("the data has " + d.numFeatures() + " features but circuit " + model.circuit().name() + " takes " + model.circuit().numInputs() + " inputs");
        if (d.numClasses() != model.numClasses())
            throw new IllegalArgumentException("the data has " + d.numClasses() + " classes but the model " + model.numClasses());
    }

    /** Loss and accuracy in inference mode on a backend (normalization with the given statistics). */
    public static Evaluation evaluate(QnnModel model, double[] params, QnnHead head, LabeledData data, Backend backend, PostNormalization.Stats stats) {
        if (data.size() == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        Circuit c = model.unitary();
        double[][] z = new double[data.size()][];
        for (int i = 0; i < z.length; i++) z[i] = backend.z(c, ParamBinding.of(c, params, data.features()[i]));
        double[][] logits = head.forwardEval(z, stats);
        double loss = 0;
        int correct = 0;
        double[] scratch = new double[model.numClasses()];
        for (int i = 0; i < z.length; i++) {
            loss += SoftmaxCrossEntropy.loss(logits[i], data.labels()[i], scratch);
            if (SoftmaxCrossEntropy.argmax(logits[i]) == data.labels()[i]) correct++;
        }
        return new Evaluation(loss / z.length, (double) correct / z.length, z.length);
    }

    private static boolean[] all(int n) {
        boolean[] a = new boolean[n];
        Arrays.fill(a, true);
        return a;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
