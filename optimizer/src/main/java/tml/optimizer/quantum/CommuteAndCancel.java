package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;

/**
 * Commutation-aware cancellation: each gate looks back past the gates it commutes with (see
 * {@link Commutation}: rz and cz through a cx control, x through a cx target, cx through cx
 * sharing a control or a target, …) for an inverse to cancel with or a rotation to merge into.
 * Measurements, resets, conditions and barriers stop the search. Repeats until nothing changes.
 */
public final class CommuteAndCancel implements CircuitPass {
    /** How many earlier ops on the gate's wires are examined. */
    private static final int WINDOW = 64;
    private static final int MAX_ROUNDS = 10;

    @Override public String name() { return "commute-cancel"; }

    @Override public Circuit run(Circuit c) {
        List<Op> ops = new ArrayList<>(c.ops());
        for (int round = 0; round < MAX_ROUNDS && sweep(ops); round++) {
            ops.removeAll(Collections.singleton(null));
        }
        ops.removeAll(Collections.singleton(null));
        return c.withOps(ImmutableList.copyOf(ops));
    }

    /** One pass over the ops; true when something changed. */
    private static boolean sweep(List<Op> ops) {
        boolean changed = false;
        for (int i = 0; i < ops.size(); i++) {
            if (!(ops.get(i) instanceof Op.Gate g)) continue;
            Op.Gate inverse = Gates.inverse(g);
            int seen = 0;
            for (int j = i - 1; j >= 0 && seen < WINDOW; j--) {
                Op prev = ops.get(j);
                if (prev == null || Collections.disjoint(prev.qubits(), g.qubits())) continue;
                seen++;
                if (!(prev instanceof Op.Gate p)) break;
                if (p.qubits().size() == g.qubits().size() && Gates.sameAction(p, inverse)) {
                    ops.set(j, null);
                    ops.set(i, null);
                    changed = true;
                    break;
                }
                Optional<Op.Gate> merged = Rotations.merge(p, g);
                if (merged.isPresent()) {
                    ops.set(j, Rotations.isZeroRotation(merged.get()) ? null : merged.get());
                    ops.set(i, null);
                    changed = true;
                    break;
                }
                if (!Commutation.commute(p, g)) break;
            }
        }
        return changed;
    }
}
