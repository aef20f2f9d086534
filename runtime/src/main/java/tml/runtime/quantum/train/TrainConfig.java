package tml.runtime.quantum.train;

import java.util.Optional;
import tml.runtime.quantum.NoiseModel;

/**
 * How to train a {@link QnnModel}. {@code lr} is the initial learning rate; with
 * {@link Schedule#COSINE} it decays to 0 over the run. {@code normStats} says which statistics the
 * normalization uses at evaluation. {@code noise}, when present, is the noise model of the device:
 * evaluation then also runs the density-matrix simulator under it; {@code injection} trains with
 * QuantumNAT noise injection from it, and {@code noisyGradients} runs parameter shift on the noisy
 * density-matrix simulator (training on a device, emulated). {@code shots} > 0 estimates the
 * expectations of parameter shift's circuit runs from that many measurements (0: exact).
 */
public record TrainConfig(OptimizerKind optimizer, double lr, double momentum, Schedule schedule, int epochs, int batch, long seed,
                          Method gradient, Optional<Pruning> pruning, Optional<NoiseModel> noise, Optional<Injection> injection,
                          boolean noisyGradients, int shots, PostNormalization.Stats normStats) {
    public enum OptimizerKind { SGD, ADAM }

    public enum Schedule { CONSTANT, COSINE }

    public enum Method { ADJOINT, PARAMETER_SHIFT }

    /** QOC gradient pruning: {@code ratio} of the gradients skipped in each of {@code pruneWindow} steps after {@code window} full ones. */
    public record Pruning(double ratio, int window, int pruneWindow) {
        public Pruning {
            if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("pruning ratio must be in [0, 1): " + ratio);
            if (window < 1 || pruneWindow < 1) throw new IllegalArgumentException("pruning windows must be at least 1 step");
        }
    }

    /**
     * Noise injection: error probabilities times {@code factor}; each training sample runs
     * {@code draws} independently drawn noisy circuits and uses the mean of their expectations
     * (1 is QuantumNAT's setting; more draws lower the variance toward the noisy expectation).
     */
    public record Injection(double factor, int draws) {
        public Injection {
            if (!(factor >= 0) || Double.isInfinite(factor)) throw new IllegalArgumentException("noise factor must be non-negative: " + factor);
            if (draws < 1) throw new IllegalArgumentException("draws must be at least 1: " + draws);
        }
    }

    public TrainConfig {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be positive: " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
        if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be positive");
        if ((injection.isPresent() || noisyGradients) && noise.isEmpty()) throw new IllegalArgumentException("noise injection and noisy gradients need a noise model");
        if (noisyGradients && gradient != Method.PARAMETER_SHIFT) throw new IllegalArgumentException("noisy gradients need parameter shift");
        if (noisyGradients && injection.isPresent()) throw new IllegalArgumentException("noisy gradients already include the noise; do not inject it too");
        if (shots < 0 || (shots > 0 && gradient != Method.PARAMETER_SHIFT)) throw new IllegalArgumentException("shots apply to parameter shift: " + shots);
    }

    /** Adam, lr 0.05, constant, 5 epochs, batch 32, seed 0, adjoint, no pruning, no noise, running statistics. */
    public static TrainConfig defaults() {
        return new TrainConfig(OptimizerKind.ADAM, 0.05, 0.9, Schedule.CONSTANT, 5, 32, 0, Method.ADJOINT, Optional.empty(), Optional.empty(),
                Optional.empty(), false, 0, PostNormalization.Stats.RUNNING);
    }

    public TrainConfig withOptimizer(OptimizerKind o, double lr, double mom) {
        return new TrainConfig(o, lr, mom, schedule, epochs, batch, seed, gradient, pruning, noise, injection, noisyGradients, shots, normStats);
    }

    public TrainConfig withSchedule(Schedule s) {
        return new TrainConfig(optimizer, lr, momentum, s, epochs, batch, seed, gradient, pruning, noise, injection, noisyGradients, shots, normStats);
    }

    public TrainConfig withEpochs(int e, int b, long s) {
        return new TrainConfig(optimizer, lr, momentum, schedule, e, b, s, gradient, pruning, noise, injection, noisyGradients, shots, normStats);
    }

    public TrainConfig withGradient(Method m, Optional<Pruning> p) {
        return new TrainConfig(optimizer, lr, momentum, schedule, epochs, batch, seed, m, p, noise, injection, noisyGradients, shots, normStats);
    }

    public TrainConfig withNoise(Optional<NoiseModel> n, Optional<Injection> inject, boolean noisy) {
        return new TrainConfig(optimizer, lr, momentum, schedule, epochs, batch, seed, gradient, pruning, n, inject, noisy, shots, normStats);
    }

    public TrainConfig withShots(int n) {
        return new TrainConfig(optimizer, lr, momentum, schedule, epochs, batch, seed, gradient, pruning, noise, injection, noisyGradients, n, normStats);
    }

    public TrainConfig withNormStats(PostNormalization.Stats s) {
        return new TrainConfig(optimizer, lr, momentum, schedule, epochs, batch, seed, gradient, pruning, noise, injection, noisyGradients, shots, s);
    }
}
