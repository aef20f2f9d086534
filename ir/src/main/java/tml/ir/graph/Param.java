package tml.ir.graph;

/**
 * A named tensor of the network: {@code param @features.0.0.weight : f32[32,3,3,3] = uniform(0.19245)}.
 * A buffer (batch-norm running statistics) is state, not a trainable weight: it is not counted in
 * the parameter count, as in PyTorch's {@code parameters()}.
 */
public record Param(String name, TensorType type, ParamInit init, boolean buffer) {
    public Param(String name, TensorType type, ParamInit init) { this(name, type, init, false); }
}
