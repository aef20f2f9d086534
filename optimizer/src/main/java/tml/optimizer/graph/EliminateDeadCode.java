package tml.optimizer.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.HashSet;
import java.util.Set;
import tml.ir.graph.Graph;
import tml.ir.graph.Node;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.optimizer.Model;
import tml.optimizer.Pass;

/**
 * Removes the nodes and params whose values reach no output, and the weights of those params.
 * Inputs stay (they are the network's interface), as do the order and names of what remains.
 */
public final class EliminateDeadCode implements Pass {
    public static final String NAME = "eliminate-dead-code";

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Graph g = model.graph();
        Set<String> live = new HashSet<>();
        for (Output o : g.outputs()) live.add(o.value());
        for (Node n : g.nodes().reverse()) {
            if (live.contains(n.name())) live.addAll(n.operands());
        }
        ImmutableList<Node> nodes = g.nodes().stream().filter(n -> live.contains(n.name())).collect(ImmutableList.toImmutableList());
        ImmutableList<Param> params = g.params().stream().filter(p -> live.contains(p.name())).collect(ImmutableList.toImmutableList());
        if (nodes.size() == g.nodes().size() && params.size() == g.params().size()) return model;
        ImmutableMap.Builder<String, tml.runtime.Tensor> weights = ImmutableMap.builder();
        for (Param p : params) weights.put(p.name(), model.weights().get(p.name()));
        return new Model(new Graph(g.name(), g.inputs(), params, nodes, g.outputs(), g.layout()), weights.buildOrThrow());
    }
}
