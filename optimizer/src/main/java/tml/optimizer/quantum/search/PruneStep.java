package tml.optimizer.quantum.search;

/**
 * The state after one pruning round (round 0: before pruning): rotations removed so far, gate
 * counts of the logical and the routed circuit, the validation score noise-free and on the
 * device, and whether the round was kept (a round that lost too much accuracy is undone).
 */
public record PruneStep(int round, int removed, GateCounts logical, GateCounts routed, Score exact, Score noisy, boolean kept) {}
