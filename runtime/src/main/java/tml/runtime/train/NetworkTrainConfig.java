package tml.runtime.train;

import java.util.Optional;

/**
 * Settings of a network training run: the optimizer (SGD with PyTorch-style momentum, or Adam with
 * β = (0.9, 0.999), ε = 1e-8), learning rate, epochs, mini-batch size, the seed of the shuffling,
 * and which output holds the logits (empty: the network's only output).
 */
public record NetworkTrainConfig(OptimizerKind optimizer, double lr, double momentum, int epochs, int batch, long seed, Optional<String> output) {
    public enum OptimizerKind { SGD, ADAM }

    public NetworkTrainConfig {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be positive, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be positive");
    }
}
