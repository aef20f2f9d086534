package tml.runtime.autodiff;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.ir.graph.ParamInit;
import tml.ir.graph.ShapeException;
import tml.ir.graph.ShapeRules;
import tml.ir.graph.TensorType;
import tml.ir.graph.Verifier;

/** A small graph builder for tests: node types are inferred with {@link ShapeRules}. */
final class Net {
    private final String name;
    private final List<Input> inputs = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, TensorType> types = new HashMap<>();

    Net(String name) { this.name = name; }

    Net input(String n, Integer... shape) {
        TensorType t = TensorType.f32(java.util.Arrays.stream(shape).mapToInt(Integer::intValue).toArray());
        inputs.add(new Input(n, t));
        types.put(n, t);
        return this;
    }

    Net param(String n, ParamInit init, Integer... shape) {
        TensorType t = TensorType.f32(java.util.Arrays.stream(shape).mapToInt(Integer::intValue).toArray());
        params.add(new Param(n, t, init));
        types.put(n, t);
        return this;
    }

    Net param(String n, Integer... shape) { return param(n, new ParamInit.Uniform(0.5), shape); }

    Net node(String n, Op op, String... operands) {
        List<TensorType> in = new ArrayList<>();
        for (String o : operands) in.add(types.get(o));
        TensorType t;
        try {
            t = ShapeRules.infer(op, in);
        } catch (ShapeException e) {
            throw new AssertionError(n + ": " + e.getMessage());
        }
        nodes.add(new Node(n, op, ImmutableList.copyOf(operands), t));
        types.put(n, t);
        return this;
    }

    /** The graph with the given values as outputs (the last node when none is given). */
    Graph build(String... outputs) {
        List<Output> outs = new ArrayList<>();
        if (outputs.length == 0) outs.add(new Output("out", nodes.get(nodes.size() - 1).name()));
        for (int i = 0; i < outputs.length; i++) outs.add(new Output("out" + i, outputs[i]));
        Graph g = new Graph(name, ImmutableList.copyOf(inputs), ImmutableList.copyOf(params), ImmutableList.copyOf(nodes), ImmutableList.copyOf(outs));
        Verifier.verifyOrThrow(g);
        return g;
    }
}
