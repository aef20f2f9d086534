package tml.optimizer.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;
import tml.ir.quantum.ReferenceSimulator;

class SabreRouteTest {
    private static final List<Device> DEVICES = List.of(Device.line(5), Device.ring(6), Device.grid(2, 3), Device.line(7),
            Device.of("tee", 5, 0, 0, 0, 0, 1, 1, 2, 1, 3, 3, 4));

    /** Every two-qubit gate (conditional or not) acts on a coupled pair; no three-qubit gate is left. */
    static void assertRespectsCoupling(Circuit routed, Device d) {
        assertEquals(d.numQubits(), routed.numQubits());
        for (Op op : routed.ops()) {
            Op body = op instanceof Op.Conditional k ? k.body() : op;
            if (body instanceof Op.Gate g) {
                assertTrue(g.qubits().size() <= 2, "three-qubit gate left: " + g);
                if (g.qubits().size() == 2) assertTrue(d.coupled(g.qubits().get(0), g.qubits().get(1)), g + " on uncoupled qubits of " + d.name());
            }
        }
    }

    /** Routed circuit, started with the logical state placed by the initial layout, ends with it placed by the final layout. */
    static void assertEquivalentAfterPermutation(Circuit logical, RoutingResult r, SplittableRandom rng) {
        int n = logical.numQubits(), phys = r.circuit().numQubits();
        assertEquals(n, new HashSet<>(r.initialLayout()).size());
        assertEquals(n, new HashSet<>(r.finalLayout()).size());
        double[] p = new double[logical.params().size()];
        for (int i = 0; i < p.length; i++) p[i] = rng.nextDouble(-3, 3);
        double[][] s = RandomCircuits.randomState(rng, n);
        double[] wantRe = s[0].clone(), wantIm = s[1].clone();
        ReferenceSimulator.evolve(logical, ParamBinding.of(logical, p, new double[0]), wantRe, wantIm);
        double[] re = new double[1 << phys], im = new double[1 << phys];
        for (int x = 0; x < 1 << n; x++) {
            int y = place(x, r.initialLayout());
            re[y] = s[0][x];
            im[y] = s[1][x];
        }
        ReferenceSimulator.evolve(r.circuit(), ParamBinding.of(r.circuit(), p, new double[0]), re, im);
        double sr = 0, si = 0;
        for (int x = 0; x < 1 << n; x++) {
            int y = place(x, r.finalLayout());
            sr += wantRe[x] * re[y] + wantIm[x] * im[y];
            si += wantRe[x] * im[y] - wantIm[x] * re[y];
        }
        double f = sr * sr + si * si;
        assertTrue(f > Equivalence.FIDELITY, "fidelity " + f);
    }

    private static int place(int x, List<Integer> layout) {
        int y = 0;
        for (int l = 0; l < layout.size(); l++) if ((x >> l & 1) != 0) y |= 1 << layout.get(l);
        return y;
    }

    @Test
    void fiveHundredRandomCircuitsAreRoutedCorrectly() {
        SplittableRandom rng = new SplittableRandom(41);
        int totalSwaps = 0;
        for (int i = 0; i < 500; i++) {
            Device d = DEVICES.get(i % DEVICES.size());
            int n = 2 + rng.nextInt(d.numQubits() - 1);
            Circuit c = RandomCircuits.uniform(Math.min(n, d.numQubits())).withParams(1, 0.2).generate(rng, 5 + rng.nextInt(30));
            RoutingResult r = new SabreRoute(d, i).route(c);
            assertRespectsCoupling(r.circuit(), d);
            assertEquivalentAfterPermutation(c, r, rng);
            assertEquals(r.swaps(), r.circuit().ops().stream().filter(o -> o instanceof Op.Gate g && g.kind() == tml.ir.quantum.GateKind.SWAP).count()
                    - c.ops().stream().filter(o -> o instanceof Op.Gate g && g.kind() == tml.ir.quantum.GateKind.SWAP).count());
            totalSwaps += r.swaps();
        }
        assertTrue(totalSwaps > 100, "routing never needed swaps? " + totalSwaps);
    }

    @Test
    void deterministicForASeedAndNoSwapsWhenNotNeeded() {
        SplittableRandom rng = new SplittableRandom(42);
        Circuit c = RandomCircuits.uniform(5).generate(rng, 40);
        Device d = Device.grid(2, 3);
        assertEquals(new SabreRoute(d, 7).route(c), new SabreRoute(d, 7).route(c));
        Circuit chain = Circuit.builder("chain", 4).h(0).cx(0, 1).cx(1, 2).cx(2, 3).build();
        assertEquals(0, new SabreRoute(Device.line(4), 1).route(chain).swaps());
        assertEquals(0, new SabreRoute(Device.fullyConnected(5), 1).route(RandomCircuits.uniform(5).generate(rng, 30)).swaps());
    }

    @Test
    void measurementsAndConditionsKeepTheirClassicalOrder() {
        Circuit c = Circuit.builder("tele", 3).clbits(2).h(1).cx(1, 2).cx(0, 2).h(0).measure(0, 0).measure(2, 1)
                .conditional(1, 1, 1, Op.Gate.of(tml.ir.quantum.GateKind.X, 1))
                .conditional(0, 1, 1, Op.Gate.of(tml.ir.quantum.GateKind.CZ, 0, 1)).build();
        RoutingResult r = new SabreRoute(Device.line(3), 3).route(c);
        assertRespectsCoupling(r.circuit(), Device.line(3));
        int lastMeasure = -1, firstConditional = Integer.MAX_VALUE;
        for (int i = 0; i < r.circuit().ops().size(); i++) {
            Op op = r.circuit().ops().get(i);
            if (op instanceof Op.Measure) lastMeasure = i;
            if (op instanceof Op.Conditional) firstConditional = Math.min(firstConditional, i);
        }
        assertTrue(lastMeasure < firstConditional);
    }

    @Test
    void rejectsCircuitsThatDoNotFit() {
        Circuit c = RandomCircuits.uniform(4).generate(new SplittableRandom(1), 5);
        assertThrows(IllegalArgumentException.class, () -> new SabreRoute(Device.line(3), 1).route(c));
        Device split = Device.of("split", 4, 0, 0, 0, 0, 1, 2, 3);
        Circuit cross = Circuit.builder("x", 4).cx(0, 1).cx(1, 2).cx(2, 3).cx(3, 0).build();
        assertThrows(IllegalArgumentException.class, () -> new SabreRoute(split, 1).route(cross));
    }

    @Test
    void passManagerRoutesAndCleansUp() {
        SplittableRandom rng = new SplittableRandom(43);
        for (int level = 0; level <= 3; level++)
            for (int i = 0; i < 25; i++) {
                Device d = DEVICES.get(i % DEVICES.size());
                Circuit c = Equivalence.randomCircuit(rng);
                CircuitPassManager.Result res = CircuitPassManager.forLevel(level, Optional.of(d), i).run(c);
                assertRespectsCoupling(res.circuit(), d);
                assertEquivalentAfterPermutation(c, res.routing().orElseThrow(), rng);
            }
    }
}
