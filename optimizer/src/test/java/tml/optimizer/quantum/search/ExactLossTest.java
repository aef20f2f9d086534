package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;

class ExactLossTest {
    /** The adjoint gradient of the batch cross-entropy matches central finite differences. */
    @Test void gradientMatchesFiniteDifferences() {
        Circuit c = TestCircuits.family(4, false).elaborate(new SubConfig(ImmutableMap.of("layers", 2L, "width", 3L)));
        SyntheticTask task = SyntheticTask.parity(4, 6, 2, 0.3, 2);
        double[] p = new double[c.params().size()];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < p.length; i++) p[i] = rng.nextDouble(-3, 3);
        int[] idx = {0, 1, 2, 3, 4, 5};
        for (Readout r : new Readout[] {new Readout(2, 5), new Readout(3, 2)}) {
            try (ExactLoss loss = new ExactLoss(r)) {
                double[] g = new double[p.length];
                loss.lossAndGradient(c, p, task.train(), idx, g);
                double h = 1e-6;
                for (int i = 0; i < p.length; i++) {
                    double[] a = p.clone(), b = p.clone();
                    a[i] += h;
                    b[i] -= h;
                    double fd = (loss.lossAndGradient(c, a, task.train(), idx, new double[p.length]) - loss.lossAndGradient(c, b, task.train(), idx, new double[p.length])) / (2 * h);
                    assertEquals(fd, g[i], 1e-6, "d/d" + c.params().get(i));
                }
            }
        }
    }

    @Test void readoutOfTwoClassesUsesOneQubit() {
        Readout r = new Readout(2, 5);
        assertEquals(1, r.qubits().length);
        assertEquals(0, r.predict(new double[] {0.2}));
        assertEquals(1, r.predict(new double[] {-0.2}));
        assertEquals(Math.log(1 + Math.exp(-10)), r.loss(new double[] {1}, 0), 1e-15);
    }
}
