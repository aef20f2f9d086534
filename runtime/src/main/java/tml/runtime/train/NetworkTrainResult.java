package tml.runtime.train;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import tml.runtime.Tensor;
import tml.runtime.quantum.train.EpochStats;

/**
 * What training a network produced: every parameter (trained ones updated, buffers as given) as
 * float32, the per-epoch history (noisy accuracy NaN, circuit runs 0), the final test figures and
 * the wall time.
 */
public record NetworkTrainResult(ImmutableMap<String, Tensor> params, ImmutableList<EpochStats> history, Evaluated test, double seconds) {
    /** Mean softmax cross-entropy and accuracy over {@code samples} labelled rows. */
    public record Evaluated(double loss, double accuracy, int samples) {}
}
