package tml.runtime.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;

/** Textbook algorithms give their exact probabilities on both simulators. */
class KnownAnswerTest {
    private static final double TOL = 1e-12;
    private static final StatevectorSimulator SV = new StatevectorSimulator(1, 99);
    private static final DensityMatrixSimulator DM = new DensityMatrixSimulator(NoiseModel.IDEAL);

    @AfterAll
    static void close() { SV.close(); }

    private static Map<String, Double> sv(Circuit c) { return SV.distribution(c, ParamBinding.empty(c)); }

    private static Map<String, Double> dm(Circuit c) { return DM.distribution(c, ParamBinding.empty(c)); }

    private static void assertDistribution(Map<String, Double> expected, Map<String, Double> actual) {
        for (var e : expected.entrySet()) assertEquals(e.getValue(), actual.getOrDefault(e.getKey(), 0.0), TOL, e.getKey());
        for (var e : actual.entrySet()) assertEquals(expected.getOrDefault(e.getKey(), 0.0), e.getValue(), TOL, e.getKey());
    }

    @Test
    void bell() {
        Map<String, Double> want = Map.of("00", 0.5, "11", 0.5);
        assertDistribution(want, sv(Algorithms.bell()));
        assertDistribution(want, dm(Algorithms.bell()));
    }

    @Test
    void ghz() {
        for (int n = 2; n <= 6; n++) {
            Map<String, Double> want = Map.of("0".repeat(n), 0.5, "1".repeat(n), 0.5);
            assertDistribution(want, sv(Algorithms.ghz(n)));
            if (n <= 4) assertDistribution(want, dm(Algorithms.ghz(n)));
        }
    }

    @Test
    void qftOfBasisStatesIsTheDiscreteFourierTransform() {
        for (int n = 1; n <= 5; n++) {
            int d = 1 << n;
            for (int x = 0; x < d; x++) {
                Circuit c = Algorithms.qftOnBasis(n, x);
                StateVector s = SV.run(c, ParamBinding.empty(c));
                for (int y = 0; y < d; y++) {
                    double ang = 2 * Math.PI * ((long) x * y % d) / d;
                    assertEquals(Math.cos(ang) / Math.sqrt(d), s.re(y), TOL, "n=" + n + " x=" + x + " y=" + y);
                    assertEquals(Math.sin(ang) / Math.sqrt(d), s.im(y), TOL, "n=" + n + " x=" + x + " y=" + y);
                }
                for (double p : SV.probabilities(s)) assertEquals(1.0 / d, p, TOL);
            }
        }
    }

    @Test
    void grover() {
        for (int n = 3; n <= 5; n++) {
            double theta = Math.asin(Math.pow(2, -n / 2.0));
            double pMarked = Math.pow(Math.sin((2 * Algorithms.groverIterations(n) + 1) * theta), 2);
            for (int marked : new int[] {0, 5, (1 << n) - 1}) {
                Map<String, Double> got = sv(Algorithms.grover(n, marked));
                for (int y = 0; y < 1 << n; y++) {
                    double want = y == marked ? pMarked : (1 - pMarked) / ((1 << n) - 1);
                    assertEquals(want, got.getOrDefault(Bitstrings.of(y, n), 0.0), TOL, "n=" + n + " marked=" + marked + " y=" + y);
                }
            }
        }
        assertEquals(0.9453125, Math.pow(Math.sin(5 * Math.asin(Math.pow(2, -1.5))), 2), 1e-12); // n=3: 2 iterations
    }

    @Test
    void deutschJozsa() {
        for (int n = 1; n <= 5; n++) {
            String zeros = "0".repeat(n);
            assertEquals(1.0, sv(Algorithms.oracleAlgorithm(n, Algorithms.Oracle.CONSTANT_ZERO, 0)).getOrDefault(zeros, 0.0), TOL);
            assertEquals(1.0, sv(Algorithms.oracleAlgorithm(n, Algorithms.Oracle.CONSTANT_ONE, 0)).getOrDefault(zeros, 0.0), TOL);
            for (int s = 1; s < 1 << n; s++)
                assertEquals(0.0, sv(Algorithms.oracleAlgorithm(n, Algorithms.Oracle.INNER_PRODUCT, s)).getOrDefault(zeros, 0.0), TOL);
        }
        assertEquals(0.0, dm(Algorithms.oracleAlgorithm(3, Algorithms.Oracle.INNER_PRODUCT, 6)).getOrDefault("000", 0.0), TOL);
    }

    @Test
    void bernsteinVazirani() {
        for (int n = 1; n <= 6; n++)
            for (int s = 0; s < 1 << n; s += 1 + s / 3)
                assertDistribution(Map.of(Bitstrings.of(s, n), 1.0), sv(Algorithms.oracleAlgorithm(n, Algorithms.Oracle.INNER_PRODUCT, s)));
    }

    @Test
    void teleportation() {
        double[][] states = {{0.3, 0.2, -1.1}, {Math.PI / 2, 0, Math.PI}, {2.5, -0.7, 0.4}, {Math.PI, 0, 0}};
        for (double[] st : states)
            for (boolean deferred : new boolean[] {false, true}) {
                Circuit c = Algorithms.teleport(st[0], st[1], st[2], deferred);
                // c2 (leftmost) always 0; c1 c0 uniform
                Map<String, Double> want = Map.of("000", 0.25, "001", 0.25, "010", 0.25, "011", 0.25);
                assertDistribution(want, sv(c));
                assertDistribution(want, dm(c));
            }
        // without the corrections the un-preparation fails in general
        Circuit noCorrection = Algorithms.teleport(0.3, 0.2, -1.1, false);
        Circuit broken = noCorrection.withOps(noCorrection.ops().stream().filter(o -> !(o instanceof tml.ir.quantum.Op.Conditional))
                .collect(com.google.common.collect.ImmutableList.toImmutableList()));
        double p1 = sv(broken).entrySet().stream().filter(e -> e.getKey().charAt(0) == '1').mapToDouble(Map.Entry::getValue).sum();
        assertEquals(true, p1 > 0.01);
    }
}
