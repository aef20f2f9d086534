package tml.optimizer.quantum.search;

import tml.optimizer.quantum.RoutingResult;

/**
 * A circuit judged on a device: its validation score under the device's noise model, the routed
 * circuit it was simulated as, and gate counts before (logical) and after routing.
 */
public record NoisyEvaluation(Score score, RoutingResult routing, GateCounts logical, GateCounts routed) {}
