package tml.optimizer.quantum.search;

/**
 * Everything a QuantumNAS run needs besides the circuit, device and task: SuperCircuit training,
 * the evolutionary search, pruning, the readout scale (logits = scale·⟨Z⟩) and the range of the
 * seeded initial angles (uniform in [−initScale, initScale]).
 */
public record QnasOptions(TrainOptions train, EvolutionOptions evolution, PruneOptions prune, double readoutScale, double initScale, long seed) {
    public static QnasOptions defaults(long seed) {
        return new QnasOptions(TrainOptions.defaults(seed), new EvolutionOptions(20, 10, 0.3, seed),
                new PruneOptions(0.5, 3, TrainOptions.defaults(seed).withSteps(60)), 5.0, Math.PI, seed);
    }
}
