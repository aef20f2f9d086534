package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tml.frontend.diag.Span;
import tml.ir.graph.*;

/** Accumulates the graph of one network as it is elaborated; checks every op with {@link ShapeRules}. */
final class GraphBuilder {
    static final int MAX_NODES = 1_000_000;

    private final String name;
    private final List<Input> inputs = new ArrayList<>();
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Output> outputs = new LinkedHashMap<>();
    private final Map<String, Span> defined = new HashMap<>();

    GraphBuilder(String name) { this.name = name; }

    Value.TensorV input(String inputName, TensorType type, Span span) {
        claim(inputName, span, "input");
        inputs.add(new Input(inputName, type));
        return new Value.TensorV(inputName, type);
    }

    Value.TensorV param(String paramName, TensorType type, ParamInit init, boolean buffer, Span span) {
        checkSize(type, span, "weight '" + paramName + "'");
        claim(paramName, span, "weight");
        params.put(paramName, new Param(paramName, type, init, buffer));
        return new Value.TensorV(paramName, type);
    }

    boolean isDefined(String valueName) { return defined.containsKey(valueName); }

    Value.TensorV node(String nodeName, Op op, List<Value.TensorV> operands, Span span) {
        List<TensorType> types = operands.stream().map(Value.TensorV::type).toList();
        TensorType out;
        try {
            out = ShapeRules.infer(op, types);
        } catch (ShapeException e) {
            throw new EvalError(span, e.getMessage());
        }
        if (nodes.size() >= MAX_NODES) throw new EvalError(span, "the network has more than " + MAX_NODES + " operations");
        checkSize(out, span, "the result");
        claim(nodeName, span, "layer");
        nodes.add(new Node(nodeName, op, operands.stream().map(Value.TensorV::ref).collect(ImmutableList.toImmutableList()), out));
        return new Value.TensorV(nodeName, out);
    }

    /** The most elements of one tensor, as for tensor types written in TML. */
    static final long MAX_ELEMENTS = 1L << 40;

    /** Layer weights and results get their shapes from arguments (linear(100000000)): they obey the same limit. */
    private static void checkSize(TensorType type, Span span, String what) {
        long n = 1;
        for (int d : type.shape()) {
            if (d > 0 && n > MAX_ELEMENTS / d) throw new EvalError(span, what + " of type " + type + " has more than 2^40 elements");
            n *= d;
        }
    }

    void output(String outputName, Value.TensorV value, Span span) {
        if (outputs.containsKey(outputName)) throw new EvalError(span, "output '" + outputName + "' is defined twice");
        outputs.put(outputName, new Output(outputName, value.ref()));
    }

    /** Fails as {@link #claim} would for a name that is taken, without claiming it. */
    void checkFree(String valueName, Span span, String what) {
        Span previous = defined.get(valueName);
        if (previous != null) {
            throw new EvalError(tml.frontend.diag.Diagnostic.error(span, "the name '" + valueName + "' of this " + what + " is already used")
                    .withNote(previous, "first used here"));
        }
    }

    /** Takes a name for an input, weight, layer or labelled scope; fails when it is taken. */
    void claim(String valueName, Span span, String what) {
        Span previous = defined.putIfAbsent(valueName, span);
        if (previous != null) {
            throw new EvalError(tml.frontend.diag.Diagnostic.error(span, "the name '" + valueName + "' of this " + what + " is already used")
                    .withNote(previous, "first used here"));
        }
    }

    boolean hasOutputs() { return !outputs.isEmpty(); }

    Graph build() {
        return new Graph(name, ImmutableList.copyOf(inputs), ImmutableList.copyOf(params.values()), ImmutableList.copyOf(nodes),
                ImmutableList.copyOf(outputs.values()));
    }
}
