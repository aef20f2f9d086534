package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;

/**
 * Removes a gate together with the gate directly before it on all its wires when the two are
 * inverses (h·h, s·sdg, rx(a)·rx(-a), cx·cx, cz(a,b)·cz(b,a), u3 and its inverse, …; symbolic
 * angles included). Removal exposes earlier gates, so nested pairs (h x x h) vanish in one sweep.
 */
public final class CancelInverses implements CircuitPass {
    @Override public String name() { return "cancel-inverses"; }

    @Override public Circuit run(Circuit c) {
        WireStacks w = new WireStacks(c.numQubits());
        for (Op op : c.ops()) {
            if (op instanceof Op.Gate g) {
                int j = w.commonTop(g.qubits());
                if (j >= 0 && w.ops.get(j) instanceof Op.Gate prev && prev.qubits().size() == g.qubits().size()
                        && Gates.sameAction(Gates.inverse(prev), g)) {
                    w.removeTop(j);
                    continue;
                }
            }
            w.push(op);
        }
        return c.withOps(ImmutableList.copyOf(w.live()));
    }
}
