package tml.optimizer;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import tml.ir.graph.Graph;
import tml.ir.graph.Param;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * What graph passes transform: a graph and the value of each of its parameters. Passes may read
 * weights as constants (batch-norm folding, constant folding) and add computed parameters with their
 * values, so a pass maps a whole model to a new model. The weights hold exactly the graph's
 * parameters, each with its declared shape.
 */
public record Model(Graph graph, ImmutableMap<String, Tensor> weights) {

    public Model {
        List<String> problems = new ArrayList<>();
        for (Param p : graph.params()) {
            Tensor t = weights.get(p.name());
            if (t == null) {
                problems.add("parameter '" + p.name() + "' has no value");
            } else if (!t.shape().equals(p.type().shape())) {
                problems.add("parameter '" + p.name() + "' is declared " + p.type() + " but its value has shape " + t.shape());
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Param p : graph.params()) names.add(p.name());
        for (String name : weights.keySet()) {
            if (!names.contains(name)) problems.add("'" + name + "' has a value but is not a parameter");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("weights do not match the parameters of graph '" + graph.name() + "': "
                    + String.join("; ", problems));
        }
    }

    /** The graph with parameters initialised from their declared initialisers and {@code seed} ({@link Weights#initialize}). */
    public static Model initialized(Graph graph, long seed) {
        return new Model(graph, Weights.initialize(graph, seed));
    }
}
