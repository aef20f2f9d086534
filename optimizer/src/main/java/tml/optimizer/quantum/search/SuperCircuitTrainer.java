package tml.optimizer.quantum.search;

import java.util.function.Consumer;

/**
 * Trains a SuperCircuit once for all its SubCircuits (QuantumNAS stage 1): every step samples a
 * configuration and takes an Adam step on the weights that SubCircuit shares.
 */
public final class SuperCircuitTrainer {
    private SuperCircuitTrainer() {}

    /** Trains {@code w} in place; returns the mean loss of the last tenth of the steps. */
    public static double train(SuperCircuit sc, SharedWeights w, Dataset train, ExactLoss loss, TrainOptions o, Consumer<String> progress) {
        SubCircuitSampler sampler = new SubCircuitSampler(sc.space(), o.sampling(), o.restrict(), o.seed());
        return Trainer.fit(() -> sc.subCircuit(sampler.next()), w, train, loss, o, "supercircuit", progress);
    }
}
