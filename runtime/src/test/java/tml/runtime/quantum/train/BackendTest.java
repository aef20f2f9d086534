package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.ReadoutError;
import tml.runtime.quantum.StatevectorSimulator;

/** The three backends agree on ⟨Z_q⟩: exact, noisy with readout error, and estimated from shots. */
class BackendTest {
    private final StatevectorSimulator sim = new StatevectorSimulator(1, 99);
    private final Circuit c = Fixtures.qnn(3, 3, 2, true);
    private final ParamBinding b = ParamBinding.of(c, Fixtures.randomParams(c, 4), new double[] {0.2, 1.1, 2.5});

    @Test
    void exactMatchesPauliExpectations() {
        double[] z = new Backend.Exact(sim).z(c, b);
        for (int q = 0; q < 3; q++) assertEquals(sim.expectation(c, b, Observable.z(q)), z[q], 1e-12);
    }

    @Test
    void noisyAppliesTheReadoutErrorToTheDensityMatrixExpectation() {
        NoiseModel noise = NoiseModel.depolarizing(0.01, 0.05).withReadout(new ReadoutError(0.02, 0.1));
        DensityMatrixSimulator dm = new DensityMatrixSimulator(noise);
        double[] z = new Backend.Noisy(dm).z(c, b);
        for (int q = 0; q < 3; q++) {
            double e = dm.expectation(c, b, Observable.z(q));
            assertEquals((0.1 - 0.02) + (1 - 0.12) * e, z[q], 1e-12);
            // the same from the measured distribution, which includes the readout error
            double fromCounts = 0;
            for (var entry : dm.distribution(c, b).entrySet()) {
                fromCounts += (entry.getKey().charAt(2 - q) == '0' ? 1 : -1) * entry.getValue();
            }
            assertEquals(fromCounts, z[q], 1e-12, "qubit " + q);
        }
    }

    @Test
    void shotsEstimateTheExpectations() {
        NoiseModel noise = NoiseModel.depolarizing(0.01, 0.05).withReadout(new ReadoutError(0.02, 0.1));
        DensityMatrixSimulator dm = new DensityMatrixSimulator(noise);
        Backend ideal = new Backend.Sampled(sim, Optional.empty(), 100_000, new SplittableRandom(1));
        Backend noisy = new Backend.Sampled(sim, Optional.of(dm), 100_000, new SplittableRandom(2));
        assertArrayEquals(new Backend.Exact(sim).z(c, b), ideal.z(c, b), 0.015); // standard error ≤ 0.0032
        assertArrayEquals(new Backend.Noisy(dm).z(c, b), noisy.z(c, b), 0.015);
        Backend few = new Backend.Sampled(sim, Optional.empty(), 10, new SplittableRandom(3));
        double[] z = few.z(c, b);
        for (double v : z) assertEquals(0, Math.round(v * 10) % 2, "10 shots give multiples of 0.2: " + v);
    }
}
