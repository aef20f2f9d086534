package tml.runtime.quantum.train;

/**
 * One epoch's figures. Training loss and accuracy are averaged over the epoch's batches as they were
 * trained (training mode: batch normalization statistics, injected noise). Test figures are measured
 * after the epoch in inference mode; {@code noisyTestAccuracy} is NaN without a noise model.
 * {@code circuitRuns} counts all training circuit executions so far.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double noisyTestAccuracy, double seconds, long circuitRuns) {}
