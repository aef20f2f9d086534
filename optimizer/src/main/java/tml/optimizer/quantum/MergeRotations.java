package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * Merges a rotation with the same rotation directly before it on all its wires:
 * rz(a)·rz(b) = rz(a+b), likewise rx, ry, p/u1, crx, cry, crz, cp, rxx, ryy, rzz (symbolic
 * angles add symbolically). A merged rotation whose angle is exactly zero is removed.
 */
public final class MergeRotations implements CircuitPass {
    @Override public String name() { return "merge-rotations"; }

    @Override public Circuit run(Circuit c) {
        WireStacks w = new WireStacks(c.numQubits());
        for (Op op : c.ops()) {
            if (op instanceof Op.Gate g && g.kind().isAdditiveRotation()) {
                int j = w.commonTop(g.qubits());
                if (j >= 0 && w.ops.get(j) instanceof Op.Gate prev) {
                    Optional<Op.Gate> merged = Rotations.merge(prev, g);
                    if (merged.isPresent()) {
                        if (Rotations.isZeroRotation(merged.get())) w.removeTop(j);
                        else w.replace(j, merged.get());
                        continue;
                    }
                }
            }
            w.push(op);
        }
        return c.withOps(ImmutableList.copyOf(w.live()));
    }
}
