package tml.ir.graph;

import com.google.common.collect.ImmutableList;

/**
 * One operation in a graph: {@code %name = op(operands) : type}. Operand strings name an input,
 * a parameter or an earlier node. Names are hierarchical paths such as {@code features.3.conv.1.0}.
 */
public record Node(String name, Op op, ImmutableList<String> operands, TensorType type) {}
