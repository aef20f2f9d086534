package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * Removes gates within {@code eps} of the identity: id, numeric rotations (rx, ry, rz, p, u1,
 * crx, cry, crz, cp, rxx, ryy, rzz) with |angle| &lt; eps, and u3/cu3 with |θ| &lt; eps and
 * |φ+λ| &lt; eps — also under a condition. Each removal changes the state by at most about eps/2.
 */
public final class RemoveNearIdentity implements CircuitPass {
    private final double eps;

    public RemoveNearIdentity(double eps) {
        if (!(eps >= 0)) throw new IllegalArgumentException("eps must be non-negative");
        this.eps = eps;
    }

    @Override public String name() { return "remove-near-identity"; }

    @Override public Circuit run(Circuit c) {
        return c.withOps(c.ops().stream().filter(op -> !nearIdentity(op)).collect(ImmutableList.toImmutableList()));
    }

    private boolean nearIdentity(Op op) {
        return switch (op) {
            case Op.Gate g -> nearIdentity(g);
            case Op.Conditional k -> k.body() instanceof Op.Gate g && nearIdentity(g);
            default -> false;
        };
    }

    private boolean nearIdentity(Op.Gate g) {
        if (!g.isNumeric()) return false;
        var a = g.angles();
        return switch (g.kind()) {
            case ID -> true;
            case RX, RY, RZ, P, U1, CRX, CRY, CRZ, CP, RXX, RYY, RZZ -> small(a.get(0));
            case U3, CU3 -> small(a.get(0)) && Math.abs(a.get(1).constant() + a.get(2).constant()) < eps;
            default -> false;
        };
    }

    private boolean small(Angle a) { return Math.abs(a.constant()) < eps; }
}
