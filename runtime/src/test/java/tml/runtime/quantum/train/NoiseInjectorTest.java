package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.StatevectorSimulator;

/** Averaged over draws, injected Pauli errors reproduce the density-matrix simulator's noisy expectations. */
class NoiseInjectorTest {
    private final StatevectorSimulator sim = new StatevectorSimulator(1, 99);

    private double[] averageOfDraws(NoiseInjector inj, Circuit c, ParamBinding b, int draws, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] mean = new double[c.numQubits()];
        for (int d = 0; d < draws; d++) {
            Circuit noisy = inj.inject(c, rng);
            double[] z = Backend.zOf(sim.run(noisy, b));
            for (int i = 0; i < mean.length; i++) mean[i] += z[i] / draws;
        }
        return mean;
    }

    @Test
    void meanOfDrawsIsTheNoisyExpectation() {
        Circuit c = Fixtures.qnn(3, 3, 2, true).withOps(com.google.common.collect.ImmutableList.<Op>builder()
                .addAll(Fixtures.qnn(3, 3, 2, true).ops()).add(Op.Gate.of(GateKind.CCX, 0, 1, 2)).build());
        NoiseModel noise = NoiseModel.depolarizing(0.05, 0.15).withPhaseDamping(0.1);
        ParamBinding b = ParamBinding.of(c, Fixtures.randomParams(c, 1), new double[] {0.4, 1.3, 2.2});
        double[] want = Backend.zOf(new DensityMatrixSimulator(noise).run(c, b));
        double[] ideal = Backend.zOf(sim.run(c, b));
        double[] got = averageOfDraws(new NoiseInjector(noise), c, b, 40_000, 5);
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 0.015, "qubit " + i); // standard error about 0.005
            assertTrue(Math.abs(want[i] - ideal[i]) > 0.03, "the noise must matter for this test, qubit " + i);
        }
    }

    @Test
    void amplitudeDampingIsReplacedByItsPauliTwirl() {
        // For |+> the twirl is exact on <X>-free readouts of Z: after h, <Z> stays 0; after x, <Z> = -1 + gamma-ish shift
        Circuit c = Circuit.builder("ad", 1).x(0).build();
        NoiseModel noise = NoiseModel.IDEAL.withAmplitudeDamping(0.2);
        ParamBinding b = ParamBinding.empty(c);
        double exact = Backend.zOf(new DensityMatrixSimulator(noise).run(c, b))[0]; // -1 + 2·0.2 = -0.6
        double twirled = averageOfDraws(new NoiseInjector(noise), c, b, 40_000, 9)[0]; // -1 + 2·(γ/4 + γ/4) = -0.8
        assertEquals(-0.6, exact, 1e-12);
        assertEquals(-0.8, twirled, 0.015);
    }

    @Test
    void factorZeroInjectsNothingAndDrawsAreSeeded() {
        Circuit c = Fixtures.qnn(3, 3, 2, true);
        NoiseModel noise = NoiseModel.depolarizing(0.3, 0.5);
        assertEquals(c, new NoiseInjector(noise, 0).inject(c, new SplittableRandom(1)));
        Circuit a = new NoiseInjector(noise).inject(c, new SplittableRandom(42)), b = new NoiseInjector(noise).inject(c, new SplittableRandom(42));
        assertEquals(a, b);
        assertTrue(a.ops().size() > c.ops().size(), "with these rates some error is drawn");
        for (Op op : a.ops()) assertTrue(c.ops().contains(op) || ((Op.Gate) op).kind() == GateKind.X || ((Op.Gate) op).kind() == GateKind.Y
                || ((Op.Gate) op).kind() == GateKind.Z, "only Pauli gates are inserted: " + op);
    }
}
