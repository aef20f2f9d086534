package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.Circuit;

/**
 * The outcome of {@link QuantumNas#run}: the trained SuperCircuit weights and final training
 * loss, the search result, the baselines (largest and smallest configurations on a SABRE layout,
 * inherited weights), and the pruned SubCircuit with its weights and layout.
 */
public record QnasResult(SharedWeights superWeights, double trainLoss, SearchResult search, ImmutableList<Baseline> baselines,
                         PruneResult prune, Circuit chosen, ImmutableList<Integer> layout) {}
