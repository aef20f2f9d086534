package tml.optimizer.graph;

import java.util.Optional;
import tml.ir.graph.Op;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Fusion;
import tml.ir.graph.Op.Linear;

/** The ops that can take fused elementwise work ({@link Fusion}): conv2d and linear. */
final class Fusable {
    private Fusable() {}

    /** The fusion of a conv2d or linear; empty for any other op. */
    static Optional<Fusion> fusion(Op op) {
        return switch (op) {
            case Conv2d c -> Optional.of(c.fusion());
            case Linear l -> Optional.of(l.fusion());
            default -> Optional.empty();
        };
    }

    /** The same conv2d or linear with another fusion. */
    static Op withFusion(Op op, Fusion f) {
        return switch (op) {
            case Conv2d c -> c.withFusion(f);
            case Linear l -> l.withFusion(f);
            default -> throw new IllegalArgumentException(op.mnemonic() + " cannot take fused work");
        };
    }
}
