package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the invariants of a {@link Graph}:
 * <ul>
 *   <li>input, param and node names are unique (one namespace);</li>
 *   <li>every node operand names an input, a param or an earlier node (the nodes are in a topological order);</li>
 *   <li>each node's declared type is what {@link ShapeRules#infer} gives for its op and the declared types
 *       of its operands (a {@link ShapeException} is reported with the node's name);</li>
 *   <li>every output names an existing value, output names are unique, and there is at least one output.</li>
 * </ul>
 * Unused params and unused nodes are not errors. In the graph a param is referenced by its name like any
 * other value; that text writes it {@code @name} and everything else {@code %name} is checked by
 * {@link GraphParser}, since a {@link Graph} does not record how a name was written.
 */
public final class Verifier {
    private Verifier() {}

    /** The part of a graph a problem is about. */
    public enum Section { INPUT, PARAM, NODE, OUTPUT, GRAPH }

    /** Which part of the element a problem points at (used by the parser to place its diagnostic). */
    public enum Part { WHOLE, NAME, OPERAND, OP, TYPE, VALUE }

    /**
     * One problem: {@code section}/{@code index} select the element (index into the graph's list of
     * that section; 0 for GRAPH), {@code operand} is the operand index for {@link Part#OPERAND}, else -1.
     */
    public record Problem(Section section, int index, Part part, int operand, String message) {
        @Override public String toString() { return message; }
    }

    /** All problems of the graph as messages, in graph order; empty if the graph is valid. */
    public static ImmutableList<String> verify(Graph g) {
        return check(g).stream().map(Problem::message).collect(ImmutableList.toImmutableList());
    }

    /** Throws {@link VerificationException} listing every problem unless the graph is valid. */
    public static void verifyOrThrow(Graph g) {
        ImmutableList<String> problems = verify(g);
        if (!problems.isEmpty()) throw new VerificationException(g.name(), problems);
    }

    /** All problems of the graph with where they are, in graph order. */
    public static ImmutableList<Problem> check(Graph g) {
        List<Problem> out = new ArrayList<>();

        // One namespace for inputs, params and nodes.
        Map<String, String> kindOf = new HashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            declare(out, kindOf, g.inputs().get(i).name(), "input", Section.INPUT, i);
        }
        for (int i = 0; i < g.params().size(); i++) {
            declare(out, kindOf, g.params().get(i).name(), "param", Section.PARAM, i);
        }
        for (int i = 0; i < g.nodes().size(); i++) {
            declare(out, kindOf, g.nodes().get(i).name(), "node", Section.NODE, i);
        }

        // Nodes in order: operands defined before use, declared type = inferred type.
        Map<String, TensorType> defined = new HashMap<>();
        for (Input in : g.inputs()) defined.putIfAbsent(in.name(), in.type());
        for (Param p : g.params()) defined.putIfAbsent(p.name(), p.type());
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            String who = "node '" + n.name() + "'";
            List<TensorType> types = new ArrayList<>();
            boolean operandsOk = true;
            for (int j = 0; j < n.operands().size(); j++) {
                String operand = n.operands().get(j);
                TensorType t = defined.get(operand);
                if (t != null) {
                    types.add(t);
                    continue;
                }
                operandsOk = false;
                String why = kindOf.containsKey(operand) ? "is used before it is defined" : "is not defined";
                out.add(new Problem(Section.NODE, i, Part.OPERAND, j, who + ": operand '" + operand + "' " + why));
            }
            if (operandsOk) {
                try {
                    TensorType inferred = ShapeRules.infer(n.op(), types);
                    if (!inferred.equals(n.type())) {
                        out.add(new Problem(Section.NODE, i, Part.TYPE, -1, who + ": declared type " + n.type()
                                + " but " + n.op().mnemonic() + " gives " + inferred));
                    }
                } catch (ShapeException e) {
                    out.add(new Problem(Section.NODE, i, Part.OP, -1, who + ": " + e.getMessage()));
                } catch (RuntimeException e) {
                    // ShapeRules should only throw ShapeException; never let a bad graph crash the verifier.
                    out.add(new Problem(Section.NODE, i, Part.OP, -1, who + ": " + n.op().mnemonic()
                            + " cannot be typed (" + e + ")"));
                }
            }
            defined.putIfAbsent(n.name(), n.type());
        }

        // Outputs.
        Set<String> outputNames = new HashSet<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            Output o = g.outputs().get(i);
            String who = "output '" + o.name() + "'";
            if (!outputNames.add(o.name())) {
                out.add(new Problem(Section.OUTPUT, i, Part.NAME, -1, who + ": duplicate output name"));
            }
            if (!kindOf.containsKey(o.value())) {
                out.add(new Problem(Section.OUTPUT, i, Part.VALUE, -1, who + ": value '" + o.value() + "' is not defined"));
            }
        }
        if (g.outputs().isEmpty()) {
            out.add(new Problem(Section.GRAPH, 0, Part.WHOLE, -1, "graph '" + g.name() + "' has no outputs"));
        }
        // Graph order: by section, then element; problems of one element keep the order they were found in.
        out.sort(Comparator.comparing(Problem::section).thenComparingInt(Problem::index));
        return ImmutableList.copyOf(out);
    }

    private static void declare(List<Problem> out, Map<String, String> kindOf, String name, String kind,
                                Section section, int index) {
        String earlier = kindOf.putIfAbsent(name, kind);
        if (earlier != null) {
            out.add(new Problem(section, index, Part.NAME, -1, kind + " '" + name + "': the name is already used by "
                    + (earlier.equals("input") ? "an " : "a ") + earlier));
        }
    }
}
