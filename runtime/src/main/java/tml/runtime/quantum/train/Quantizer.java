package tml.runtime.quantum.train;

/**
 * QuantumNAT post-measurement quantization: each output is clipped to [−range, range] and rounded
 * to the nearest of {@code levels} equally spaced values spanning that interval. Rounding removes
 * small noise-induced deviations. The backward pass is the straight-through estimator: the
 * gradient passes unchanged inside the interval and is zero where the input was clipped.
 */
public record Quantizer(int levels, double range) {
    public Quantizer {
        if (levels < 2) throw new IllegalArgumentException("quantization needs at least 2 levels, got " + levels);
        if (!(range > 0) || Double.isInfinite(range)) throw new IllegalArgumentException("quantization range must be positive: " + range);
    }

    public double apply(double x) {
        double step = 2 * range / (levels - 1);
        double c = Math.max(-range, Math.min(range, x));
        return -range + Math.rint((c + range) / step) * step;
    }

    /** The straight-through gradient factor at input x: 1 inside the range, 0 where clipped. */
    public double gradient(double x) { return x >= -range && x <= range ? 1 : 0; }
}
