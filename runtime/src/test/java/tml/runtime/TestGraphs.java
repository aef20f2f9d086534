package tml.runtime;

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

/** A small builder of graphs for tests; node types come from {@link ShapeRules}. */
public final class TestGraphs {
    private final String name;
    private final List<Input> inputs = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();
    private final Map<String, TensorType> types = new HashMap<>();

    private TestGraphs(String name) { this.name = name; }

    public static TestGraphs named(String name) { return new TestGraphs(name); }

    public TestGraphs input(String value, int... shape) {
        TensorType t = TensorType.f32(shape);
        inputs.add(new Input(value, t));
        types.put(value, t);
        return this;
    }

    public TestGraphs param(String value, ParamInit init, int... shape) {
        TensorType t = TensorType.f32(shape);
        params.add(new Param(value, t, init));
        types.put(value, t);
        return this;
    }

    /** A non-trainable buffer such as batch norm's running statistics. */
    public TestGraphs buffer(String value, ParamInit init, int... shape) {
        TensorType t = TensorType.f32(shape);
        params.add(new Param(value, t, init, true));
        types.put(value, t);
        return this;
    }

    public TestGraphs param(String value, int... shape) { return param(value, new ParamInit.Constant(0), shape); }

    public TestGraphs node(String value, Op op, String... operands) {
        try {
            TensorType t = ShapeRules.infer(op, List.of(operands).stream().map(types::get).toList());
            nodes.add(new Node(value, op, ImmutableList.copyOf(operands), t));
            types.put(value, t);
            return this;
        } catch (ShapeException e) {
            throw new AssertionError(e);
        }
    }

    /** A node with a declared type that need not match its operands. */
    public TestGraphs rawNode(String value, Op op, TensorType type, String... operands) {
        nodes.add(new Node(value, op, ImmutableList.copyOf(operands), type));
        types.put(value, type);
        return this;
    }

    public TestGraphs output(String outName, String value) {
        outputs.add(new Output(outName, value));
        return this;
    }

    public Graph build() {
        return new Graph(name, ImmutableList.copyOf(inputs), ImmutableList.copyOf(params), ImmutableList.copyOf(nodes),
                ImmutableList.copyOf(outputs));
    }
}
