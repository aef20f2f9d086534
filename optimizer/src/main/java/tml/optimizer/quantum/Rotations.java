package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.ir.quantum.Angle;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;

/** Merging of rotations about the same axis on the same qubits: their angles add. */
final class Rotations {
    private Rotations() {}

    /** p and u1 are the same gate. */
    private static GateKind family(GateKind k) { return k == GateKind.U1 ? GateKind.P : k; }

    /**
     * {@code second·first} as one rotation (empty when they do not merge); an exactly-zero merged
     * angle yields a gate with {@link Angle#ZERO} that callers drop.
     */
    static Optional<Op.Gate> merge(Op.Gate first, Op.Gate second) {
        if (!first.kind().isAdditiveRotation() || family(first.kind()) != family(second.kind())) return Optional.empty();
        Op.Gate aligned = second.withAngles(first.angles());
        aligned = new Op.Gate(first.kind(), aligned.angles(), aligned.qubits());
        if (!Gates.sameAction(first, aligned)) return Optional.empty();
        return Optional.of(first.withAngles(ImmutableList.of(first.angles().get(0).plus(second.angles().get(0)))));
    }

    static boolean isZeroRotation(Op.Gate g) {
        return g.kind().isAdditiveRotation() && g.angles().get(0).equals(Angle.ZERO);
    }
}
