package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.Circuit;

/**
 * The pruned circuit (parameters no gate uses any more dropped), its fine-tuned weights, and each
 * round, an undone last round included.
 */
public record PruneResult(Circuit circuit, SharedWeights weights, ImmutableList<PruneStep> rounds) {
    public PruneStep before() { return rounds.getFirst(); }

    /** The last round kept: the state of {@link #circuit()}. */
    public PruneStep after() { return rounds.reversed().stream().filter(PruneStep::kept).findFirst().orElseThrow(); }
}
