package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;

/**
 * The outcome of the evolutionary search: the best candidate and its noisy evaluation, the best
 * score after each generation, and how many distinct candidates were simulated.
 */
public record SearchResult(Candidate best, NoisyEvaluation evaluation, ImmutableList<Score> bestPerGeneration, int evaluated) {}
