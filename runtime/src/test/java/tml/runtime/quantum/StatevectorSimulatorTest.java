package tml.runtime.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;
import tml.ir.quantum.ReferenceSimulator;

class StatevectorSimulatorTest {
    @Test
    void everyGateOnEveryQubitPlacementMatchesTheReference() {
        SplittableRandom rng = new SplittableRandom(11);
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            for (int n = 1; n <= 5; n++)
                for (GateKind k : GateKind.values()) {
                    if (k.numQubits() > n) continue;
                    for (int t = 0; t < 6; t++) {
                        Circuit c = RandomCircuits.uniform(n).withKinds(ImmutableList.of(k)).generate(rng, 1);
                        double[][] init = RandomCircuits.randomState(rng, n);
                        StateVector s = sim.run(c, ParamBinding.empty(c), StateVector.of(init[0], init[1]));
                        ReferenceSimulator.evolve(c, ParamBinding.empty(c), init[0], init[1]);
                        for (int i = 0; i < 1 << n; i++) {
                            assertEquals(init[0][i], s.re(i), 1e-13, c.toString());
                            assertEquals(init[1][i], s.im(i), 1e-13, c.toString());
                        }
                    }
                }
        }
    }

    @Test
    void randomCircuitsMatchTheReference() {
        SplittableRandom rng = new SplittableRandom(12);
        try (StatevectorSimulator sim = new StatevectorSimulator(2, 3)) {
            for (int t = 0; t < 40; t++) {
                int n = 1 + rng.nextInt(7);
                Circuit c = RandomCircuits.uniform(n).generate(rng, 40);
                StateVector s = sim.run(c, ParamBinding.empty(c));
                double[] re = new double[1 << n], im = new double[1 << n];
                re[0] = 1;
                ReferenceSimulator.evolve(c, ParamBinding.empty(c), re, im);
                assertTrue(s.fidelity(StateVector.of(re, im)) > 1 - 1e-12);
                assertEquals(1, s.normSquared(), 1e-12);
            }
        }
    }

    @Test
    void parallelRunsAreBitIdenticalToSerialRuns() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = 17; // 2^16 pairs: above the serial cut-off, so the pool really splits the work
        Circuit c = RandomCircuits.uniform(n).generate(rng, 40);
        Observable o = Observable.parse("ZZ", "0.5*XYI", "-0.25*YIIIIIIIIIIIIIIIX");
        try (StatevectorSimulator serial = new StatevectorSimulator(1, 0);
             StatevectorSimulator parallel = new StatevectorSimulator(4, 0)) {
            StateVector a = serial.run(c, ParamBinding.empty(c));
            StateVector b = parallel.run(c, ParamBinding.empty(c));
            assertTrue(a.bitIdentical(b));
            assertEquals(Double.doubleToLongBits(serial.expectation(a, o)), Double.doubleToLongBits(parallel.expectation(b, o)));
            assertTrue(java.util.Arrays.equals(serial.probabilities(a), parallel.probabilities(b)));
        }
    }

    @Test
    void highQubitKernelsMatchTheReference() {
        int n = 19;
        SplittableRandom rng = new SplittableRandom(17);
        double[][] init = RandomCircuits.randomState(rng, n);
        Circuit c = Circuit.builder("high", n).h(n - 1).gate(GateKind.U3, new double[] {0.3, -1.2, 2.5}, n - 1).gate(GateKind.SX, n - 2)
                .gate(GateKind.RZ, 0.7, n - 1).gate(GateKind.P, 0.4, n - 2).x(n - 1).cx(0, n - 1).cx(n - 1, 3)
                .gate(GateKind.RY, 1.1, 5).build();
        try (StatevectorSimulator serial = new StatevectorSimulator(1, 0); StatevectorSimulator parallel = new StatevectorSimulator(3, 0)) {
            StateVector a = serial.run(c, ParamBinding.empty(c), StateVector.of(init[0], init[1]));
            StateVector b = parallel.run(c, ParamBinding.empty(c), StateVector.of(init[0], init[1]));
            assertTrue(a.bitIdentical(b));
            ReferenceSimulator.evolve(c, ParamBinding.empty(c), init[0], init[1]);
            for (int i = 0; i < 1 << n; i += 7) {
                assertEquals(init[0][i], a.re(i), 1e-15);
                assertEquals(init[1][i], a.im(i), 1e-15);
            }
        }
    }

    @Test
    void arbitraryMatricesAndNonUnitaryOperators() {
        SplittableRandom rng = new SplittableRandom(14);
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            for (int t = 0; t < 20; t++) {
                int[] qs = {rng.nextInt(2), 2 + rng.nextInt(2)};
                ComplexMatrix m = Gates.matrix(GateKind.CU3, 0.3, 0.2, 0.1).plus(Gates.matrix(GateKind.RXX, 0.4)); // not unitary
                double[][] init = RandomCircuits.randomState(rng, 4);
                StateVector s = StateVector.of(init[0], init[1]);
                sim.applyMatrix(s, m, qs);
                ReferenceSimulator.apply(m, List.of(qs[0], qs[1]), init[0], init[1]);
                for (int i = 0; i < 16; i++) assertEquals(init[0][i], s.re(i), 1e-13);
            }
        }
    }

    @Test
    void pauliExpectations() {
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            // |+i> on q0 (s h), |1> on q1, |+> on q2
            Circuit c = Circuit.builder("c", 3).h(0).gate(GateKind.S, 0).x(1).h(2).build();
            StateVector s = sim.run(c, ParamBinding.empty(c));
            assertEquals(1, sim.expectation(s, PauliString.parse("IIY")), 1e-14);
            assertEquals(0, sim.expectation(s, PauliString.parse("IIX")), 1e-14);
            assertEquals(-1, sim.expectation(s, PauliString.parse("IZI")), 1e-14);
            assertEquals(1, sim.expectation(s, PauliString.parse("XII")), 1e-14);
            assertEquals(-1, sim.expectation(s, PauliString.parse("XZY")), 1e-14);
            assertEquals(-0.5 + 2, sim.expectation(s, Observable.parse("0.5*IZI", "2*XIY")), 1e-14);
            assertEquals("XIY", PauliString.parse("XIY").label(3));
            assertThrows(IllegalArgumentException.class, () -> sim.expectation(s, PauliString.parse("ZIII")));
        }
    }

    @Test
    void expectationsMatchDenseObservableOnRandomStates() {
        SplittableRandom rng = new SplittableRandom(15);
        String letters = "IXYZ";
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            for (int t = 0; t < 50; t++) {
                StringBuilder label = new StringBuilder();
                for (int i = 0; i < 3; i++) label.append(letters.charAt(rng.nextInt(4)));
                PauliString p = PauliString.parse(label.toString());
                double[][] init = RandomCircuits.randomState(rng, 3);
                StateVector s = StateVector.of(init[0], init[1]);
                // dense: <psi| P psi> with P built from gates applied by the reference simulator
                double[] re = init[0].clone(), im = init[1].clone();
                for (int q = 0; q < 3; q++) {
                    char ch = label.charAt(2 - q);
                    if (ch != 'I') ReferenceSimulator.apply(Gates.matrix(GateKind.valueOf(String.valueOf(ch))), List.of(q), re, im);
                }
                double expect = 0;
                for (int i = 0; i < 8; i++) expect += init[0][i] * re[i] + init[1][i] * im[i];
                assertEquals(expect, sim.expectation(s, p), 1e-13, label.toString());
            }
        }
    }

    @Test
    void batchesEqualSingleRuns() {
        Circuit c = Circuit.builder("enc", 3).inputs(3).params("w")
                .rx(tml.ir.quantum.Angle.input(0), 0).ry(tml.ir.quantum.Angle.input(1), 1).rz(tml.ir.quantum.Angle.input(2), 2)
                .cx(0, 1).cx(1, 2).ry(tml.ir.quantum.Angle.param("w"), 2).build();
        double[][] xs = new double[9][3];
        SplittableRandom rng = new SplittableRandom(16);
        for (double[] x : xs) for (int i = 0; i < 3; i++) x[i] = rng.nextDouble(-3, 3);
        try (StatevectorSimulator sim = new StatevectorSimulator(3, 99)) {
            var states = sim.runBatch(c, new double[] {0.4}, xs);
            double[][] ez = sim.expectationBatch(c, new double[] {0.4}, xs, List.of(Observable.z(0), Observable.z(2)));
            for (int i = 0; i < xs.length; i++) {
                StateVector one = sim.run(c, new double[] {0.4}, xs[i]);
                assertTrue(one.bitIdentical(states.get(i)));
                assertEquals(sim.expectation(one, Observable.z(2)), ez[i][1]);
            }
        }
    }

    @Test
    void samplingIsSeededAndFollowsTheDistribution() {
        Circuit c = Circuit.builder("c", 2).clbits(2).ry(tml.ir.quantum.Angle.of(2 * Math.asin(Math.sqrt(0.3))), 0).measure(0, 0).build();
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            var d = sim.distribution(c, ParamBinding.empty(c));
            assertEquals(0.3, d.get("01"), 1e-12);
            assertEquals(0.7, d.get("00"), 1e-12);
            var counts = sim.sample(c, ParamBinding.empty(c), 20000, 42);
            assertEquals(counts, sim.sample(c, ParamBinding.empty(c), 20000, 42));
            assertEquals(20000, counts.values().stream().mapToInt(Integer::intValue).sum());
            assertEquals(0.3, counts.get("01") / 20000.0, 0.015);
            assertTrue(!counts.equals(sim.sample(c, ParamBinding.empty(c), 20000, 43)));
        }
    }

    @Test
    void qiskitBitOrder() {
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            Circuit noMeasure = Circuit.builder("c", 3).x(0).build();
            assertEquals(1.0, sim.distribution(noMeasure, ParamBinding.empty(noMeasure)).get("001"));
            Circuit measured = Circuit.builder("c", 3).clbits(4).x(0).measure(0, 2).build();
            assertEquals(1.0, sim.distribution(measured, ParamBinding.empty(measured)).get("0100"));
            assertEquals(Integer.valueOf(10), sim.sample(measured, ParamBinding.empty(measured), 10, 1).get("0100"));
            assertEquals(5L, Bitstrings.parse("101"));
        }
    }

    @Test
    void runRejectsMidCircuitMeasurement() {
        Circuit c = Circuit.builder("c", 1).clbits(1).measure(0, 0).h(0).build();
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 99)) {
            assertThrows(IllegalArgumentException.class, () -> sim.run(c, ParamBinding.empty(c)));
            var d = sim.distribution(c, ParamBinding.empty(c));
            assertEquals(1.0, d.get("0"), 1e-15);
        }
    }
}
