package tml.ir.graph;

/** How a parameter is initialised when no weights file is given (deterministically from a seed). */
public sealed interface ParamInit {
    /** Every element equal to {@code value}. */
    record Constant(double value) implements ParamInit {}
    /** Uniform in [-bound, bound) from the seeded generator (PyTorch's default for conv/linear uses 1/sqrt(fan_in)). */
    record Uniform(double bound) implements ParamInit {}
    /**
     * Computed by the optimizer from other weights (a folded batch norm, a folded constant): the value
     * exists only next to the graph that holds it (an optimizer {@code Model}), never from a seed.
     * Written {@code computed} in the text.
     */
    record Computed() implements ParamInit {}
}
