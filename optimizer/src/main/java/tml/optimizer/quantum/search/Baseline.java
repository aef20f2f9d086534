package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;

/** A configuration judged for comparison (e.g. the largest or smallest), with the layout it was routed from. */
public record Baseline(String label, SubConfig config, ImmutableList<Integer> layout, NoisyEvaluation evaluation) {}
