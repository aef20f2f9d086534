package tml.optimizer.quantum.search;

/**
 * Settings of gradient training (SuperCircuit training and fine-tuning): Adam steps, samples per
 * step, learning rate, how SubCircuits are sampled, and the seed of sampling and batching.
 */
public record TrainOptions(int steps, int batchSize, double learningRate, SubCircuitSampler.Mode sampling, int restrict, long seed) {
    public TrainOptions {
        if (steps < 0 || batchSize < 1) throw new IllegalArgumentException("steps must be ≥ 0 and the batch size ≥ 1");
        if (!(learningRate > 0)) throw new IllegalArgumentException("the learning rate must be positive");
    }

    public static TrainOptions defaults(long seed) { return new TrainOptions(400, 16, 0.05, SubCircuitSampler.Mode.RANDOM, 1, seed); }

    public TrainOptions withSteps(int n) { return new TrainOptions(n, batchSize, learningRate, sampling, restrict, seed); }

    public TrainOptions withSeed(long s) { return new TrainOptions(steps, batchSize, learningRate, sampling, restrict, s); }
}
