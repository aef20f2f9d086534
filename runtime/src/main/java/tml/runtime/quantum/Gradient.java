package tml.runtime.quantum;

/**
 * An expectation value and its partial derivatives with respect to each circuit parameter (in
 * {@code Circuit.params()} order) and each input feature. The arrays belong to the record.
 */
public record Gradient(double value, double[] params, double[] inputs) {}
