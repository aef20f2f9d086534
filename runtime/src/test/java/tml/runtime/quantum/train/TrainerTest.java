package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.runtime.data.FashionMnist;
import tml.runtime.data.LabeledData;
import tml.runtime.quantum.NoiseModel;

/** End-to-end training: the loss falls and accuracy beats chance, deterministically, with every option. */
class TrainerTest {
    private static final Circuit C2 = Fixtures.qnn(2, 4, 2, false);
    private static final LabeledData TRAIN = Fixtures.blobs(160, 4, 0.5, 1), TEST = Fixtures.blobs(200, 4, 0.5, 2);

    private static TrainResult train(QnnModel m, TrainConfig cfg, LabeledData train, LabeledData test) {
        List<EpochStats> seen = new ArrayList<>();
        TrainResult r = new Trainer(m, cfg).train(train, test, seen::add);
        assertEquals(r.history(), seen, "progress reports every epoch");
        assertEquals(cfg.epochs(), seen.size());
        return r;
    }

    private static QnnModel model(boolean normalize) { return new QnnModel(C2, 2, Readout.FIRST, normalize, Optional.empty()); }

    @Test
    void adjointTrainingLearnsSeparableData() {
        TrainConfig cfg = TrainConfig.defaults().withEpochs(4, 16, 3);
        TrainResult r = train(model(false), cfg, TRAIN, TEST);
        EpochStats first = r.history().get(0), last = r.history().get(3);
        assertTrue(last.trainLoss() < first.trainLoss(), "loss falls: " + r.history());
        assertTrue(r.test().accuracy() >= 0.9, "test accuracy " + r.test().accuracy());
        assertEquals(last.testAccuracy(), r.test().accuracy());
        assertTrue(Double.isNaN(last.noisyTestAccuracy()));
        assertEquals(160L * 4, r.circuitRuns(), "the adjoint method counts one run per sample");
    }

    /** The mean loss of a batch at given parameters, through a fresh head (training-mode normalization). */
    private static double meanLoss(QnnModel m, double[] params, LabeledData d) {
        Backend exact = new Backend.Exact(new tml.runtime.quantum.StatevectorSimulator(1, 99));
        double[][] z = new double[d.size()][];
        for (int i = 0; i < z.length; i++) z[i] = exact.z(m.circuit(), tml.ir.quantum.ParamBinding.of(m.circuit(), params, d.features()[i]));
        double[][] logits = new QnnHead(m).forwardTrain(z);
        double s = 0;
        for (int i = 0; i < z.length; i++) s += SoftmaxCrossEntropy.loss(logits[i], d.labels()[i], new double[2]) / z.length;
        return s;
    }

    @Test
    void oneSgdStepFollowsTheGradientOfTheMeanLoss() {
        LabeledData d = TRAIN.limit(12);
        for (boolean normalize : new boolean[] {false, true}) {
            QnnModel m = model(normalize);
            double lr = 1e-3;
            TrainConfig cfg = TrainConfig.defaults().withOptimizer(TrainConfig.OptimizerKind.SGD, lr, 0).withEpochs(1, 12, 5);
            double[] before = Trainer.initialParams(m.numParams(), 5);
            double[] after = new Trainer(m, cfg).train(d, TEST.limit(5), e -> {}).params();
            for (int k = 0; k < before.length; k++) {
                double h = 1e-5;
                double[] up = before.clone(), down = before.clone();
                up[k] += h;
                down[k] -= h;
                double g = (meanLoss(m, up, d) - meanLoss(m, down, d)) / (2 * h);
                assertEquals(-lr * g, after[k] - before[k], 1e-10, "normalize=" + normalize + " param " + k);
            }
        }
    }

    @Test
    void trainingIsDeterministic() {
        TrainConfig cfg = TrainConfig.defaults().withEpochs(2, 10, 11).withNoise(Optional.of(NoiseModel.depolarizing(0.02, 0.05)),
                Optional.of(new TrainConfig.Injection(1, 2)), false);
        TrainResult a = train(model(true), cfg, TRAIN.limit(60), TEST.limit(40)), b = train(model(true), cfg, TRAIN.limit(60), TEST.limit(40));
        assertArrayEquals(a.params(), b.params(), 0.0);
        TrainResult c = train(model(true), cfg.withEpochs(2, 10, 12), TRAIN.limit(60), TEST.limit(40));
        assertTrue(c.params()[0] != a.params()[0], "another seed gives another run");
    }

    @Test
    void parameterShiftWithPruningLearnsWithFewerRuns() {
        TrainConfig ps = TrainConfig.defaults().withEpochs(3, 16, 5).withGradient(TrainConfig.Method.PARAMETER_SHIFT, Optional.empty());
        TrainResult full = train(model(false), ps, TRAIN, TEST);
        TrainResult pruned = train(model(false), ps.withGradient(TrainConfig.Method.PARAMETER_SHIFT, Optional.of(new TrainConfig.Pruning(0.5, 1, 2))), TRAIN, TEST);
        // 24 parameters: u3 angles 2 runs each, cu3 θ 4 runs, cu3 φ/λ 2 runs: (12·2 + 4·4 + 8·2) + 1 = 57 runs per sample
        assertEquals(160L * 3 * 57, full.circuitRuns());
        assertTrue(pruned.circuitRuns() < 0.8 * full.circuitRuns(), pruned.circuitRuns() + " vs " + full.circuitRuns());
        assertTrue(full.test().accuracy() >= 0.9, "full " + full.test().accuracy());
        assertTrue(pruned.test().accuracy() >= 0.85, "pruned " + pruned.test().accuracy());
        TrainResult adjoint = train(model(false), ps.withGradient(TrainConfig.Method.ADJOINT, Optional.empty()), TRAIN, TEST);
        assertArrayEquals(adjoint.params(), full.params(), 1e-6, "exact gradients either way");
    }

    @Test
    void noisyTrainingReportsNoisyAccuracy() {
        NoiseModel noise = NoiseModel.depolarizing(0.02, 0.08);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(2, 16, 1).withNoise(Optional.of(noise), Optional.of(new TrainConfig.Injection(1, 1)), false)
                .withNormStats(PostNormalization.Stats.BATCH);
        TrainResult r = train(model(true), cfg, TRAIN, TEST);
        assertTrue(r.noisyTest().isPresent());
        assertTrue(r.noisyTest().get().accuracy() > 0.8, "noisy " + r.noisyTest().get().accuracy());
        assertEquals(r.noisyTest().get().accuracy(), r.history().get(1).noisyTestAccuracy());
        TrainConfig onChip = TrainConfig.defaults().withEpochs(1, 16, 1).withGradient(TrainConfig.Method.PARAMETER_SHIFT, Optional.empty())
                .withNoise(Optional.of(noise), Optional.empty(), true);
        TrainResult r2 = train(model(false), onChip, TRAIN.limit(48), TEST.limit(50));
        assertTrue(r2.history().get(0).trainLoss() < Math.log(2) + 0.2);
    }

    @Test
    void fashionMnistSubsetBeatsChance() {
        Assumptions.assumeTrue(FashionMnist.available(FashionMnist.DEFAULT_DIR), "Debian's dataset-fashion-mnist is not installed");
        List<Integer> classes = List.of(3, 6);
        LabeledData train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN, classes, 4, Math.PI).limit(600);
        LabeledData test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, classes, 4, Math.PI).limit(400);
        int[] counts = test.classCounts();
        assertTrue(Math.min(counts[0], counts[1]) > 150, "both classes are in the test subset");
        Circuit c = Fixtures.qnn(4, 16, 2, false);
        QnnModel m = new QnnModel(c, 2, Readout.PAIRS, true, Optional.empty());
        double before = Trainer.evaluate(m, Fixtures.randomParams(c, 0), new QnnHead(m), test,
                new Backend.Exact(new tml.runtime.quantum.StatevectorSimulator(1, 99)), PostNormalization.Stats.BATCH).loss();
        TrainResult r = train(m, TrainConfig.defaults().withEpochs(3, 32, 0), train, test);
        assertTrue(r.history().get(2).trainLoss() < r.history().get(0).trainLoss(), "training loss falls: " + r.history());
        assertTrue(r.test().loss() < Math.min(before, Math.log(2)), "test loss " + r.test().loss() + " vs untrained " + before);
        assertTrue(r.test().accuracy() > 0.75, "dress vs shirt, chance 0.5: " + r.test().accuracy());
    }
}
