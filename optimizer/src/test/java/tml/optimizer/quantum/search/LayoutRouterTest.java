package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;
import tml.optimizer.quantum.RoutingResult;
import tml.runtime.quantum.StateVector;
import tml.runtime.quantum.StatevectorSimulator;

class LayoutRouterTest {
    @Test void routedCircuitsHonourLayoutAndCouplingAndAreEquivalent() {
        SplittableRandom rng = new SplittableRandom(42);
        try (StatevectorSimulator sim = new StatevectorSimulator(1, 64)) {
            for (Device d : List.of(TestCircuits.LIMA, Device.line(5), Device.ring(6))) {
                LayoutRouter router = new LayoutRouter(d);
                for (int t = 0; t < 40; t++) {
                    int n = 2 + rng.nextInt(d.numQubits() - 1);
                    Circuit c = RandomCircuits.uniform(n).withKinds(RandomCircuits.kindsUpTo(Math.min(3, n))).generate(rng, 25);
                    List<Integer> layout = EvolutionarySearch.permutation(d.numQubits(), rng).subList(0, n);
                    RoutingResult r = router.route(c, layout);
                    assertEquals(layout, r.initialLayout());
                    for (Op op : r.circuit().ops()) {
                        Op.Gate g = (Op.Gate) op;
                        assertTrue(g.qubits().size() <= 2, "3q gate left: " + g);
                        if (g.qubits().size() == 2) assertTrue(d.coupled(g.qubits().get(0), g.qubits().get(1)), g + " on " + d.name());
                    }
                    assertEquals(c.twoQubitGateCount() + 3 * r.swaps(), r.circuit().twoQubitGateCount() - extraFromDecomposition(c));
                    assertEquivalent(sim, c, r);
                }
            }
        }
    }

    /** Two-qubit gates that decomposing ccx and cswap adds (6 cx per ccx; cswap = cx ccx cx, 8). */
    private static int extraFromDecomposition(Circuit c) {
        int extra = 0;
        for (Op op : c.ops()) {
            if (op instanceof Op.Gate g && g.kind() == tml.ir.quantum.GateKind.CCX) extra += 6;
            if (op instanceof Op.Gate g && g.kind() == tml.ir.quantum.GateKind.CSWAP) extra += 8;
        }
        return extra;
    }

    /** Logical amplitude at index i equals the routed amplitude at i's bits placed by the final layout. */
    private static void assertEquivalent(StatevectorSimulator sim, Circuit logical, RoutingResult r) {
        StateVector a = sim.run(logical, ParamBinding.empty(logical));
        StateVector b = sim.run(r.circuit(), ParamBinding.empty(r.circuit()));
        for (int i = 0; i < a.size(); i++) {
            int j = 0;
            for (int l = 0; l < logical.numQubits(); l++) if ((i >> l & 1) == 1) j |= 1 << r.finalLayout().get(l);
            assertEquals(a.re(i), b.re(j), 1e-9);
            assertEquals(a.im(i), b.im(j), 1e-9);
        }
    }

    @Test void aCoupledLayoutNeedsNoSwapsAndABadOneDoes() {
        Circuit chain = Circuit.builder("chain", 3).cx(0, 1).cx(1, 2).build();
        LayoutRouter router = new LayoutRouter(TestCircuits.LIMA);
        assertEquals(0, router.route(chain, List.of(0, 1, 2)).swaps());
        assertEquals(0, router.route(chain, List.of(4, 3, 1)).swaps());
        RoutingResult far = router.route(chain, List.of(0, 4, 2));
        assertTrue(far.swaps() > 0);
        assertEquals(2 + 3 * far.swaps(), far.circuit().twoQubitGateCount());
        assertThrows(IllegalArgumentException.class, () -> router.route(chain, List.of(0, 0, 1)));
        assertThrows(IllegalArgumentException.class, () -> router.route(chain, List.of(0, 1, 5)));
        assertThrows(IllegalArgumentException.class, () -> router.route(chain, new ArrayList<>(ImmutableList.of(0, 1))));
    }
}
