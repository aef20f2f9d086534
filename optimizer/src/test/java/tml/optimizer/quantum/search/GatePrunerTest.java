package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;

class GatePrunerTest {
    private static Op.Gate gate(GateKind k, Angle a, int... qs) { return Op.Gate.of(k, a, qs); }

    @Test void onlyParameterRotationsArePrunable() {
        assertTrue(GatePruner.isTrainableRotation(gate(GateKind.RX, Angle.param("a"), 0)));
        assertTrue(GatePruner.isTrainableRotation(gate(GateKind.CRZ, Angle.param("a").times(2), 0, 1)));
        assertFalse(GatePruner.isTrainableRotation(gate(GateKind.RY, Angle.input(0), 0)), "encoders stay");
        assertFalse(GatePruner.isTrainableRotation(gate(GateKind.RY, Angle.param("a").plus(Angle.input(0)), 0)));
        assertFalse(GatePruner.isTrainableRotation(gate(GateKind.RZ, Angle.of(0.1), 0)));
        assertFalse(GatePruner.isTrainableRotation(Op.Gate.of(GateKind.CX, 0, 1)));
    }

    @Test void magnitudeIsTheDistanceFromIdentityUpToPhase() {
        Circuit c = Circuit.builder("m", 2).params("a").build();
        ParamBinding twoPi = ParamBinding.of(c, new double[] {2 * Math.PI}, new double[0]);
        ParamBinding small = ParamBinding.of(c, new double[] {1e-3}, new double[0]);
        assertEquals(0, GatePruner.magnitude(gate(GateKind.RX, Angle.param("a"), 0), twoPi), 1e-12, "rx(2π) = −I");
        assertTrue(GatePruner.magnitude(gate(GateKind.CRX, Angle.param("a"), 0, 1), twoPi) > 1, "crx(2π) is a controlled −I");
        assertTrue(GatePruner.magnitude(gate(GateKind.RZ, Angle.param("a"), 0), small) < 1e-3);
        Op.Gate phaseOnly = Op.Gate.of(GateKind.U3, ImmutableList.of(Angle.ZERO.plus(Angle.param("a")).times(0), Angle.of(1), Angle.param("a")), 0);
        assertTrue(GatePruner.magnitude(phaseOnly, small) > 0.5, "u3(0, 1, λ) is a phase gate, not the identity");
    }

    @Test void unusedParametersAreDropped() {
        Circuit c = Circuit.builder("u", 1).params("a", "b", "c").rx(Angle.param("c"), 0).ry(Angle.param("a"), 0).build();
        assertEquals(ImmutableList.of("a", "c"), GatePruner.withoutUnusedParams(c).params());
    }
}
