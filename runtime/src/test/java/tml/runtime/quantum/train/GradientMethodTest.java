package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.ReadoutError;
import tml.runtime.quantum.StatevectorSimulator;

/** The vector–Jacobian products of both gradient methods match finite differences of the expectations. */
class GradientMethodTest {
    private final StatevectorSimulator sim = new StatevectorSimulator(1, 99);

    private static double weighted(Backend be, Circuit c, double[] p, double[] x, double[] w) {
        double[] z = be.z(c, ParamBinding.of(c, p, x));
        double s = 0;
        for (int i = 0; i < w.length; i++) s += w[i] * z[i];
        return s;
    }

    private static double[] finiteDifferences(Backend be, Circuit c, double[] p, double[] x, double[] w) {
        double h = 1e-5;
        double[] g = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            double[] a = p.clone(), b = p.clone();
            a[k] += h;
            b[k] -= h;
            g[k] = (weighted(be, c, a, x, w) - weighted(be, c, b, x, w)) / (2 * h);
        }
        return g;
    }

    private static boolean[] all(int n) {
        boolean[] a = new boolean[n];
        Arrays.fill(a, true);
        return a;
    }

    @Test
    void adjointAndShiftMatchFiniteDifferences() {
        for (int seed = 0; seed < 4; seed++) {
            Circuit c = Fixtures.qnn(3, 5, 2, true);
            SplittableRandom rng = new SplittableRandom(seed);
            double[] p = Fixtures.randomParams(c, seed), x = new double[5], w = new double[3];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(0, Math.PI);
            for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble(-1, 1);
            double[] want = finiteDifferences(new Backend.Exact(sim), c, p, x, w);
            Tape adj = new GradientMethod.Adjoint(sim).forward(c, p, x, all(p.length));
            Tape shift = new GradientMethod.Shift(new Backend.Exact(sim)).forward(c, p, x, all(p.length));
            assertArrayEquals(new Backend.Exact(sim).z(c, ParamBinding.of(c, p, x)), adj.expectations(), 1e-12);
            assertArrayEquals(adj.expectations(), shift.expectations(), 1e-12);
            assertArrayEquals(want, adj.vjp(w), 1e-7, "adjoint, seed " + seed);
            assertArrayEquals(want, shift.vjp(w), 1e-7, "parameter shift, seed " + seed);
        }
    }

    @Test
    void shiftOnTheNoisySimulatorMatchesFiniteDifferences() {
        Circuit c = Fixtures.qnn(3, 3, 1, true);
        NoiseModel noise = NoiseModel.depolarizing(0.02, 0.08).withReadout(new ReadoutError(0.03, 0.07));
        Backend noisy = new Backend.Noisy(new DensityMatrixSimulator(noise));
        double[] p = Fixtures.randomParams(c, 7), x = {0.3, 1.2, 2.0}, w = {0.5, -1, 0.25};
        Tape t = new GradientMethod.Shift(noisy).forward(c, p, x, all(p.length));
        assertArrayEquals(finiteDifferences(noisy, c, p, x, w), t.vjp(w), 1e-7);
        double[] ideal = new Backend.Exact(sim).z(c, ParamBinding.of(c, p, x));
        assertTrue(Math.abs(ideal[0] - t.expectations()[0]) > 1e-3, "the noise changes the expectations");
    }

    @Test
    void prunedParametersGetNoGradientAndCostNoRuns() {
        Circuit c = Fixtures.qnn(2, 2, 1, false); // 12 parameters, each in one u3/cu3 angle
        double[] p = Fixtures.randomParams(c, 3), x = {0.4, 0.9}, w = {1, -0.5};
        boolean[] active = all(p.length);
        Tape full = new GradientMethod.Shift(new Backend.Exact(sim)).forward(c, p, x, active);
        // u3: 6 angles × 2 runs; cu3 ×2: θ four-term (4 runs), φ and λ two-term (2 each) → 2 × 8; plus the forward run
        assertEquals(1 + 12 + 16, full.circuitRuns());
        Arrays.fill(active, 0, 6, false); // prune the u3 parameters a_*
        Tape pruned = new GradientMethod.Shift(new Backend.Exact(sim)).forward(c, p, x, active);
        assertEquals(1 + 16, pruned.circuitRuns());
        double[] gFull = full.vjp(w), gPruned = pruned.vjp(w);
        for (int k = 0; k < p.length; k++) assertEquals(k < 6 ? 0 : gFull[k], gPruned[k], 1e-12, "param " + k);
        double[] adj = new GradientMethod.Adjoint(sim).forward(c, p, x, active).vjp(w);
        for (int k = 0; k < p.length; k++) assertEquals(gPruned[k], adj[k], 1e-9, "adjoint with the mask, param " + k);
    }
}
