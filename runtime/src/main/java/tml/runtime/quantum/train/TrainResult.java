package tml.runtime.quantum.train;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * What training produced: the parameters (in {@code Circuit.params()} order), the normalization's
 * running statistics when the model normalizes, the per-epoch history, the final test figures
 * (ideal, and under the noise model when there is one) and the training circuit runs in total.
 */
public record TrainResult(double[] params, Optional<PostNormalization> normalization, ImmutableList<EpochStats> history,
                          Evaluation test, Optional<Evaluation> noisyTest, long circuitRuns, double seconds) {}
