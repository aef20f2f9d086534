package tml.runtime.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.Device;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;

class DensityMatrixSimulatorTest {
    private static final double TOL = 1e-12;

    @Test
    void idealRunIsThePureStateOfTheStatevectorRun() {
        SplittableRandom rng = new SplittableRandom(21);
        DensityMatrixSimulator dm = new DensityMatrixSimulator(NoiseModel.IDEAL);
        try (StatevectorSimulator sv = new StatevectorSimulator(1, 99)) {
            for (int t = 0; t < 10; t++) {
                Circuit c = RandomCircuits.uniform(3).generate(rng, 25);
                DensityMatrix rho = dm.run(c, ParamBinding.empty(c));
                DensityMatrix want = DensityMatrix.pure(sv.run(c, ParamBinding.empty(c)));
                for (int r = 0; r < 8; r++)
                    for (int col = 0; col < 8; col++) {
                        assertEquals(want.re(r, col), rho.re(r, col), TOL);
                        assertEquals(want.im(r, col), rho.im(r, col), TOL);
                    }
                assertEquals(1, rho.purity(), 1e-12);
                Observable o = Observable.parse("XYZ", "0.3*ZIZ");
                assertEquals(sv.expectation(sv.run(c, ParamBinding.empty(c)), o), dm.expectation(rho, o), TOL);
            }
        }
    }

    @Test
    void krausSetsAreComplete() {
        for (var ks : java.util.List.of(NoiseChannels.depolarizing1(0.3), NoiseChannels.depolarizing2(0.2),
                NoiseChannels.amplitudeDamping(0.4), NoiseChannels.phaseDamping(0.7), NoiseChannels.reset())) {
            ComplexMatrix sum = null;
            for (ComplexMatrix k : ks) sum = sum == null ? k.dagger().times(k) : sum.plus(k.dagger().times(k));
            assertTrue(sum.maxDistance(ComplexMatrix.identity(sum.dim())) < 1e-14);
        }
    }

    @Test
    void depolarizingShrinksBlochVector() {
        double p = 0.1;
        Circuit c = Circuit.builder("c", 1).x(0).build();
        DensityMatrixSimulator dm = new DensityMatrixSimulator(NoiseModel.depolarizing(p, 0));
        assertEquals(-(1 - p), dm.expectation(c, ParamBinding.empty(c), Observable.z(0)), TOL);
        Circuit bell = Circuit.builder("bell", 2).h(0).cx(0, 1).build();
        DensityMatrixSimulator dm2 = new DensityMatrixSimulator(NoiseModel.depolarizing(0, 0.2));
        DensityMatrix rho = dm2.run(bell, ParamBinding.empty(bell));
        assertEquals(0.8, dm2.expectation(rho, Observable.parse("ZZ")), TOL);
        assertEquals(0.8, dm2.expectation(rho, Observable.parse("XX")), TOL);
        assertEquals(1, rho.trace(), TOL);
        assertEquals(0.8 * 0.8 + 0.2 * 0.2 / 4 + 2 * 0.8 * 0.2 / 4, rho.purity(), TOL); // Tr[((1-p)Φ + pI/4)^2]
    }

    @Test
    void amplitudeAndPhaseDamping() {
        Circuit x = Circuit.builder("x", 1).x(0).build();
        DensityMatrixSimulator amp = new DensityMatrixSimulator(NoiseModel.IDEAL.withAmplitudeDamping(0.3));
        assertEquals(0.7, amp.distribution(x, ParamBinding.empty(x)).get("1"), TOL);
        Circuit plus = Circuit.builder("plus", 1).h(0).build();
        DensityMatrixSimulator ph = new DensityMatrixSimulator(NoiseModel.IDEAL.withPhaseDamping(0.36));
        assertEquals(0.8, ph.expectation(plus, ParamBinding.empty(plus), Observable.parse("X")), TOL);
        assertEquals(0.5, ph.distribution(plus, ParamBinding.empty(plus)).get("1"), TOL);
    }

    @Test
    void readoutErrorAffectsRecordedBitsOnly() {
        NoiseModel ro = NoiseModel.IDEAL.withReadout(new ReadoutError(0.1, 0.2));
        DensityMatrixSimulator dm = new DensityMatrixSimulator(ro);
        Circuit c = Circuit.builder("c", 2).clbits(2).x(1).measure(0, 0).measure(1, 1).build();
        var d = dm.distribution(c, ParamBinding.empty(c));
        assertEquals(0.8 * 0.9, d.get("10"), TOL);
        assertEquals(0.2 * 0.9, d.get("00"), TOL);
        assertEquals(0.8 * 0.1, d.get("11"), TOL);
        assertEquals(0.2 * 0.1, d.get("01"), TOL);
        // a mid-circuit measurement misread as 1 triggers the condition although the qubit is 0
        Circuit cond = Circuit.builder("cond", 2).clbits(2).measure(0, 0)
                .conditional(0, 1, 1, tml.ir.quantum.Op.Gate.of(GateKind.X, 1)).measure(1, 1).build();
        DensityMatrixSimulator only0 = new DensityMatrixSimulator(NoiseModel.IDEAL.withReadout(new ReadoutError(0.25, 0)));
        var dc = only0.distribution(cond, ParamBinding.empty(cond));
        assertEquals(0.75 * 0.75, dc.get("00"), TOL);
        assertEquals(0.25, dc.get("11"), TOL); // c0 misread as 1, so q1 flipped (1 is never misread)
        assertEquals(0.75 * 0.25, dc.get("10"), TOL); // c0 read right, q1 = 0 misread as 1
        assertEquals(1, dc.values().stream().mapToDouble(Double::doubleValue).sum(), TOL);
        var counts = dm.sample(c, ParamBinding.empty(c), 1000, 3);
        assertEquals(counts, dm.sample(c, ParamBinding.empty(c), 1000, 3));
        assertEquals(1000, counts.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void resetAndNoiseFromDevice() {
        Circuit c = Circuit.builder("c", 1).h(0).reset(0).build();
        DensityMatrixSimulator dm = new DensityMatrixSimulator(NoiseModel.IDEAL);
        assertEquals(1.0, dm.distribution(c, ParamBinding.empty(c)).get("0"), TOL);
        Device d = Device.of("d", 2, 0.01, 0.03, 0.02, 0, 1);
        NoiseModel m = NoiseModel.fromDevice(d);
        assertEquals(0.02, m.depolarizing1q(0), TOL);
        assertEquals(0.04, m.depolarizing2q(1, 0), TOL);
        assertEquals(0.02, m.readout(1).prob0Given1(), TOL);
        assertThrows(IllegalArgumentException.class, () -> DensityMatrix.zero(14));
    }

    @Test
    void noiseReducesTheGapBetweenOutcomes() {
        Circuit c = Circuit.builder("c", 3).params("t").ry(Angle.param("t"), 0).cx(0, 1).cx(1, 2).build();
        ParamBinding b = ParamBinding.of(c, new double[] {0.4}, new double[0]);
        double ideal = new DensityMatrixSimulator(NoiseModel.IDEAL).expectation(c, b, Observable.parse("ZZZ"));
        double noisy = new DensityMatrixSimulator(NoiseModel.depolarizing(0.01, 0.05).withAmplitudeDamping(0.01)).expectation(c, b, Observable.parse("ZZZ"));
        assertTrue(Math.abs(noisy) < Math.abs(ideal) - 0.01, ideal + " vs " + noisy);
    }
}
