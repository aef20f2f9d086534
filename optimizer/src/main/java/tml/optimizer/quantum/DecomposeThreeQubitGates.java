package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/**
 * Rewrites ccx (6 cx and single-qubit gates, exact) and cswap (cx·ccx·cx) into gates on at most
 * two qubits, as routing requires. Conditional three-qubit gates become runs of conditional gates.
 */
public final class DecomposeThreeQubitGates implements CircuitPass {
    @Override public String name() { return "decompose-3q"; }

    @Override public Circuit run(Circuit c) {
        List<Op> out = new ArrayList<>();
        for (Op op : c.ops()) {
            switch (op) {
                case Op.Gate g when g.kind().numQubits() == 3 -> out.addAll(expand(g));
                case Op.Conditional k when k.body() instanceof Op.Gate g && g.kind().numQubits() == 3 -> {
                    for (Op.Gate e : expand(g)) out.add(new Op.Conditional(k.firstClbit(), k.width(), k.value(), e));
                }
                default -> out.add(op);
            }
        }
        return c.withOps(ImmutableList.copyOf(out));
    }

    static List<Op.Gate> expand(Op.Gate g) {
        int a = g.qubits().get(0), b = g.qubits().get(1), t = g.qubits().get(2);
        return switch (g.kind()) {
            case CCX -> ccx(a, b, t);
            case CSWAP -> {
                List<Op.Gate> r = new ArrayList<>();
                r.add(Op.Gate.of(GateKind.CX, t, b));
                r.addAll(ccx(a, b, t));
                r.add(Op.Gate.of(GateKind.CX, t, b));
                yield r;
            }
            default -> List.of(g);
        };
    }

    private static List<Op.Gate> ccx(int a, int b, int c) {
        return List.of(
                Op.Gate.of(GateKind.H, c),
                Op.Gate.of(GateKind.CX, b, c), Op.Gate.of(GateKind.TDG, c),
                Op.Gate.of(GateKind.CX, a, c), Op.Gate.of(GateKind.T, c),
                Op.Gate.of(GateKind.CX, b, c), Op.Gate.of(GateKind.TDG, c),
                Op.Gate.of(GateKind.CX, a, c), Op.Gate.of(GateKind.T, b), Op.Gate.of(GateKind.T, c), Op.Gate.of(GateKind.H, c),
                Op.Gate.of(GateKind.CX, a, b), Op.Gate.of(GateKind.T, a), Op.Gate.of(GateKind.TDG, b),
                Op.Gate.of(GateKind.CX, a, b));
    }
}
