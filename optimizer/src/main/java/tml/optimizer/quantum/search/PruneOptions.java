package tml.optimizer.quantum.search;

/**
 * Iterative magnitude pruning: after {@code steps} rounds, {@code ratio} of the trainable
 * rotations are removed (an equal share more each round), each round followed by
 * {@code finetune} training of the remaining weights. A round after which the noise-free
 * validation accuracy is more than {@code tolerance} below the unpruned circuit's is undone, and
 * pruning stops there.
 */
public record PruneOptions(double ratio, int steps, TrainOptions finetune, double tolerance) {
    public PruneOptions {
        if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("the prune ratio must be in [0, 1]");
        if (steps < 0) throw new IllegalArgumentException("prune steps must be ≥ 0");
        if (!(tolerance >= 0 && tolerance <= 1)) throw new IllegalArgumentException("the accuracy tolerance must be in [0, 1]");
    }

    /** The default tolerance: two percentage points of validation accuracy. */
    public static final double DEFAULT_TOLERANCE = 0.02;

    public PruneOptions(double ratio, int steps, TrainOptions finetune) { this(ratio, steps, finetune, DEFAULT_TOLERANCE); }
}
