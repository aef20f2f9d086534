package tml.ir.graph;

/** A graph input: {@code input %image : f32[1,3,224,224]}. */
public record Input(String name, TensorType type) {}
