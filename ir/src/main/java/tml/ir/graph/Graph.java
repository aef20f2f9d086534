package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * A network in the graph IR: inputs, parameters, nodes in a topological order, outputs, and the
 * activation {@link Layout} for code generation once the optimizer has chosen one (empty before).
 * Immutable; two graphs are equal when they print identically.
 */
public record Graph(String name,
                    ImmutableList<Input> inputs,
                    ImmutableList<Param> params,
                    ImmutableList<Node> nodes,
                    ImmutableList<Output> outputs,
                    Optional<Layout> layout) {

    public Graph {
        java.util.Objects.requireNonNull(layout, "layout");
    }

    /** A graph with no layout chosen yet (what the front end produces). */
    public Graph(String name, ImmutableList<Input> inputs, ImmutableList<Param> params, ImmutableList<Node> nodes,
                 ImmutableList<Output> outputs) {
        this(name, inputs, params, nodes, outputs, Optional.empty());
    }

    public Graph withLayout(Layout l) { return new Graph(name, inputs, params, nodes, outputs, Optional.of(l)); }

    /** The type of any value name: an input, a parameter or a node. */
    public Optional<TensorType> typeOf(String value) {
        return Optional.ofNullable(types().get(value));
    }

    /** All value names with their types (inputs, params, nodes). */
    public ImmutableMap<String, TensorType> types() {
        ImmutableMap.Builder<String, TensorType> b = ImmutableMap.builder();
        for (Input i : inputs) b.put(i.name(), i.type());
        for (Param p : params) b.put(p.name(), p.type());
        for (Node n : nodes) b.put(n.name(), n.type());
        return b.buildKeepingLast();
    }

    public Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public boolean isParam(String value) {
        return params.stream().anyMatch(p -> p.name().equals(value));
    }

    /** Trainable parameter count (buffers excluded), as PyTorch counts it. */
    public long parameterCount() {
        return params.stream().filter(p -> !p.buffer()).mapToLong(p -> p.type().numel()).sum();
    }
}
