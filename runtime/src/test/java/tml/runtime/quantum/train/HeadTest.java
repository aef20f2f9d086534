package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;

/** Readout, softmax cross-entropy, normalization and quantization: values and gradients. */
class HeadTest {
    private static final Circuit C4 = Fixtures.qnn(4, 4, 1, false);

    @Test
    void readouts() {
        assertArrayEquals(new double[] {0.3, -0.7}, Readout.PAIRS.logits(new double[] {0.1, 0.2, -0.3, -0.4}, 2), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.2, -0.3}, Readout.FIRST.logits(new double[] {0.1, 0.2, -0.3, -0.4}, 3), 1e-12);
        assertArrayEquals(new double[] {1, 1, 2, 2}, Readout.PAIRS.backward(new double[] {1, 2}, 4), 1e-12);
        assertArrayEquals(new double[] {1, 2, 0, 0}, Readout.FIRST.backward(new double[] {1, 2}, 4), 1e-12);
        assertEquals(null, Readout.PAIRS.check(4, 2));
        assertEquals(true, Readout.PAIRS.check(4, 3) != null);
        assertEquals(true, Readout.FIRST.check(4, 5) != null);
        assertThrows(IllegalArgumentException.class, () -> new QnnModel(C4, 3, Readout.PAIRS, false, Optional.empty()));
    }

    @Test
    void crossEntropy() {
        double[] g = new double[3];
        double l = SoftmaxCrossEntropy.loss(new double[] {1, 2, 3}, 0, g);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.log(z) - 1, l, 1e-12);
        assertArrayEquals(new double[] {Math.exp(1) / z - 1, Math.exp(2) / z, Math.exp(3) / z}, g, 1e-12);
        assertEquals(0, SoftmaxCrossEntropy.loss(new double[] {1000, -1000}, 0, new double[2]), 1e-12, "stable for large logits");
        assertEquals(2, SoftmaxCrossEntropy.argmax(new double[] {1, 2, 3}));
    }

    @Test
    void quantizer() {
        Quantizer q = new Quantizer(5, 2); // levels -2 -1 0 1 2
        assertEquals(-2, q.apply(-7), 0);
        assertEquals(-1, q.apply(-1.2), 0);
        assertEquals(0, q.apply(0.4), 0);
        assertEquals(1, q.apply(0.6), 0);
        assertEquals(2, q.apply(2.4), 0);
        assertEquals(1, q.gradient(1.9), 0);
        assertEquals(0, q.gradient(2.1), 0);
        assertEquals(1, new Quantizer(2, 1).apply(0.1), 0);
        assertThrows(IllegalArgumentException.class, () -> new Quantizer(1, 1));
    }

    @Test
    void normalizationStandardizesAndTracksRunningStatistics() {
        PostNormalization n = new PostNormalization(2);
        double[][] z = {{0.1, 1}, {0.3, 2}, {0.5, 6}};
        double[][] out = n.forwardTrain(z);
        for (int i = 0; i < 2; i++) {
            double m = 0, v = 0;
            for (double[] r : out) m += r[i] / 3;
            for (double[] r : out) v += (r[i] - m) * (r[i] - m) / 3;
            assertEquals(0, m, 1e-12);
            assertEquals(1, v, 1e-3);
        }
        assertArrayEquals(new double[] {0.3, 3}, n.runningMean(), 1e-12, "first batch sets the running mean");
        n.forwardTrain(new double[][] {{1.3, 3}, {1.3, 3}});
        assertArrayEquals(new double[] {0.9 * 0.3 + 0.1 * 1.3, 3}, n.runningMean(), 1e-12);
        double[][] ev = n.forwardEval(new double[][] {{0.4, 3}}, PostNormalization.Stats.RUNNING);
        assertEquals((0.4 - n.runningMean()[0]) / Math.sqrt(n.runningVar()[0] + PostNormalization.EPS), ev[0][0], 1e-12);
        double[][] batch = n.forwardEval(z, PostNormalization.Stats.BATCH);
        assertArrayEquals(out[2], batch[2], 1e-12, "batch statistics at inference equal training-mode output");
    }

    /** The loss of a batch through the head, for finite differences. */
    private static double batchLoss(QnnModel m, double[][] z, int[] y) {
        QnnHead h = new QnnHead(m);
        double[][] logits = h.forwardTrain(z);
        double s = 0;
        for (int b = 0; b < z.length; b++) s += SoftmaxCrossEntropy.loss(logits[b], y[b], new double[m.numClasses()]) / z.length;
        return s;
    }

    @Test
    void headGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        for (boolean normalize : new boolean[] {false, true}) {
            for (Readout r : Readout.values()) {
                QnnModel m = new QnnModel(C4, 2, r, normalize, Optional.empty());
                int n = 6;
                double[][] z = new double[n][4];
                int[] y = new int[n];
                for (int b = 0; b < n; b++) {
                    y[b] = rng.nextInt(2);
                    for (int i = 0; i < 4; i++) z[b][i] = rng.nextDouble(-1, 1);
                }
                QnnHead h = new QnnHead(m);
                double[][] logits = h.forwardTrain(z);
                double[][] dl = new double[n][2];
                for (int b = 0; b < n; b++) {
                    SoftmaxCrossEntropy.loss(logits[b], y[b], dl[b]);
                    for (int k = 0; k < 2; k++) dl[b][k] /= n;
                }
                double[][] dz = h.backward(dl);
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < 4; i++) {
                        double eps = 1e-6, keep = z[b][i];
                        z[b][i] = keep + eps;
                        double up = batchLoss(m, z, y);
                        z[b][i] = keep - eps;
                        double down = batchLoss(m, z, y);
                        z[b][i] = keep;
                        assertEquals((up - down) / (2 * eps), dz[b][i], 1e-6, r + " normalize=" + normalize + " sample " + b + " qubit " + i);
                    }
                }
            }
        }
    }

    @Test
    void quantizedHeadUsesTheStraightThroughGradient() {
        QnnModel m = new QnnModel(C4, 2, Readout.PAIRS, false, Optional.of(new Quantizer(3, 0.5)));
        QnnHead h = new QnnHead(m);
        double[][] logits = h.forwardTrain(new double[][] {{0.3, 0.9, -0.1, 0.2}});
        assertArrayEquals(new double[] {1.0, 0.0}, logits[0], 1e-12); // 0.3 → 0.5, 0.9 → 0.5 (clipped), -0.1 → 0, 0.2 → 0
        double[][] dz = h.backward(new double[][] {{1, -1}});
        assertArrayEquals(new double[] {1, 0, -1, -1}, dz[0], 1e-12); // 0.9 was clipped
    }
}
