package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OptimizerTest {
    @Test
    void sgdWithMomentum() {
        Optimizer o = Optimizer.sgd(1, 0.9);
        double[] p = {1};
        o.step(p, new double[] {2}, 0.1); // v = 2, p = 0.8
        assertArrayEquals(new double[] {0.8}, p, 1e-12);
        o.step(p, new double[] {1}, 0.1); // v = 2.8, p = 0.52
        assertArrayEquals(new double[] {0.52}, p, 1e-12);
    }

    @Test
    void adamFirstStepIsLrTimesSign() {
        Optimizer o = Optimizer.adam(2);
        double[] p = {0, 0};
        o.step(p, new double[] {3, -0.001}, 0.05);
        assertArrayEquals(new double[] {-0.05, 0.05}, p, 1e-6);
    }

    @Test
    void bothMinimizeAQuadratic() {
        for (Optimizer o : new Optimizer[] {Optimizer.adam(3), Optimizer.sgd(3, 0.5)}) {
            double[] p = {3, -2, 1}, target = {0.5, 0.25, -1};
            for (int t = 0; t < 2000; t++) {
                double[] g = new double[3];
                for (int i = 0; i < 3; i++) g[i] = 2 * (p[i] - target[i]) * (i + 1);
                o.step(p, g, 0.01);
            }
            for (int i = 0; i < 3; i++) assertEquals(target[i], p[i], 1e-3, o.getClass().getSimpleName() + " coordinate " + i);
        }
    }
}
