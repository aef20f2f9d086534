package tml.optimizer.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.ir.graph.ParamInit;
import tml.ir.graph.TensorType;
import tml.optimizer.Model;
import tml.runtime.Tensor;

/**
 * A model being rewritten in one walk over its nodes in order: nodes are emitted as they are visited,
 * a visited node may replace an emitted producer (fusion: the producer's name, the consumer's place,
 * the consumer's name renamed to it), and values may be renamed (later operands and outputs follow).
 * New parameters get fresh names and {@link ParamInit.Computed}.
 */
final class Rewrite {
    private final Model model;
    private final LinkedHashMap<String, Node> emitted = new LinkedHashMap<>(); // in a topological order
    private final Map<String, String> renamed = new HashMap<>();
    private final Map<String, Integer> uses;
    private final List<Param> params;
    private final LinkedHashMap<String, Tensor> weights;
    private final Set<String> taken = new HashSet<>();
    private final Set<String> paramNames = new HashSet<>();

    Rewrite(Model model) {
        this.model = model;
        this.uses = uses(model.graph());
        this.params = new ArrayList<>(model.graph().params());
        this.weights = new LinkedHashMap<>(model.weights());
        Graph g = model.graph();
        for (Input i : g.inputs()) taken.add(i.name());
        for (Param p : g.params()) taken.add(p.name());
        for (Param p : g.params()) paramNames.add(p.name());
        for (Node n : g.nodes()) taken.add(n.name());
    }

    /** How often each value is used: once per operand occurrence and once per output naming it. */
    static Map<String, Integer> uses(Graph g) {
        Map<String, Integer> uses = new HashMap<>();
        for (Node n : g.nodes()) for (String o : n.operands()) uses.merge(o, 1, Integer::sum);
        for (Output o : g.outputs()) uses.merge(o.value(), 1, Integer::sum);
        return uses;
    }

    Graph graph() { return model.graph(); }

    /** The value a name stands for now, following renames. */
    String resolve(String value) {
        String v = value;
        while (renamed.containsKey(v)) v = renamed.get(v);
        return v;
    }

    /** {@code n} with its operands resolved. */
    Node resolved(Node n) {
        ImmutableList<String> ops = n.operands().stream().map(this::resolve).collect(ImmutableList.toImmutableList());
        return ops.equals(n.operands()) ? n : new Node(n.name(), n.op(), ops, n.type());
    }

    /** An already emitted node of that (resolved) name. */
    Optional<Node> producer(String value) { return Optional.ofNullable(emitted.get(resolve(value))); }

    int uses(String value) { return uses.getOrDefault(resolve(value), 0); }

    boolean isParam(String value) { return paramNames.contains(resolve(value)); }

    Tensor weight(String param) { return weights.get(param); }

    void emit(Node n) { emitted.put(n.name(), n); }

    /**
     * Replaces the emitted {@code producer} by {@code fused} (which keeps the producer's name) placed here,
     * after everything emitted so far, and renames {@code consumer} (not emitted) to it.
     */
    void fuse(Node producer, Node fused, String consumer) {
        emitted.remove(producer.name());
        emitted.put(fused.name(), fused);
        renamed.put(consumer, fused.name());
        uses.put(fused.name(), uses.getOrDefault(consumer, 0)); // the consumer's own use of the producer is gone
    }

    /** From now on, {@code from} means {@code to}; {@code to} inherits the uses of {@code from}. */
    void rename(String from, String to) {
        renamed.put(from, to);
        uses.merge(to, uses.getOrDefault(from, 0), Integer::sum);
    }

    /** A name not used in the graph yet: {@code base}, else {@code base_1}, {@code base_2}, ... */
    String fresh(String base) {
        String n = base;
        for (int k = 1; taken.contains(n); k++) n = base + "_" + k;
        taken.add(n);
        return n;
    }

    /** Adds a computed parameter named {@code name} (which must be free or the name of a node being dropped). */
    void addParam(String name, TensorType type, Tensor value) {
        taken.add(name);
        paramNames.add(name);
        params.add(new Param(name, type, new ParamInit.Computed()));
        weights.put(name, value);
    }

    /** The rewritten model: inputs unchanged, outputs resolved, layout kept. */
    Model finish() {
        Graph g = model.graph();
        ImmutableList<Output> outputs = g.outputs().stream().map(o -> new Output(o.name(), resolve(o.value())))
                .collect(ImmutableList.toImmutableList());
        Graph out = new Graph(g.name(), g.inputs(), ImmutableList.copyOf(params), ImmutableList.copyOf(emitted.values()),
                outputs, g.layout());
        return new Model(out, ImmutableMap.copyOf(weights));
    }
}
