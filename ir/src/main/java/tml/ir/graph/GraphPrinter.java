package tml.ir.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link Graph} in the textual form that {@link GraphParser} reads back into an equal graph:
 *
 * <pre>
 * graph &#64;TinyNet {
 *   input %image : f32[1,1,28,28]
 *   param &#64;conv.weight : f32[8,1,3,3] = uniform(0.3333333333333333)
 *   param &#64;bn.running_var : f32[8] = const(1.0) buffer
 *   %conv = conv2d(%image, &#64;conv.weight) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,8,28,28]
 *   %relu_0 = relu(%conv) : f32[1,8,28,28]
 *   output %logits = %relu_0
 * }
 * </pre>
 *
 * Inputs, params, nodes and outputs are written in that order, one per line; every attribute of an op
 * is written, in its fixed order, except optional ones that are absent (a fused activation, say);
 * doubles are written with {@link Double#toString(double)} so that they read back bit-exactly. A graph
 * whose layout has been chosen is headed <code>graph &#64;Net attributes {layout = nhwc} {</code>.
 * Names made only of {@code [A-Za-z0-9_.]} are written bare, others quoted.
 * Printing never fails, also for a graph that does not verify.
 */
public final class GraphPrinter {
    private GraphPrinter() {}

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder();
        Set<String> params = new HashSet<>();
        for (Param p : g.params()) params.add(p.name());
        sb.append("graph @").append(name(g.name()));
        g.layout().ifPresent(l -> sb.append(" attributes {layout = ").append(l.text).append('}'));
        sb.append(" {\n");
        for (Input i : g.inputs()) {
            sb.append("  input %").append(name(i.name())).append(" : ").append(i.type()).append('\n');
        }
        for (Param p : g.params()) {
            sb.append("  param @").append(name(p.name())).append(" : ").append(p.type()).append(" = ");
            appendInit(sb, p.init());
            if (p.buffer()) sb.append(" buffer");
            sb.append('\n');
        }
        for (Node n : g.nodes()) {
            sb.append("  ");
            appendNode(sb, n, params);
            sb.append('\n');
        }
        for (Output o : g.outputs()) {
            sb.append("  output %").append(name(o.name())).append(" = ");
            appendRef(sb, o.value(), params);
            sb.append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** One node line without indentation or newline, e.g. {@code %r = relu(%x) : f32[1,8]}; operands print with % (params unknown). */
    public static String print(Node n) {
        StringBuilder sb = new StringBuilder();
        appendNode(sb, n, Set.of());
        return sb.toString();
    }

    /** An op with its attributes as written in a node line, e.g. {@code softmax {axis = -1}}. */
    public static String print(Op op) {
        StringBuilder sb = new StringBuilder(op.mnemonic());
        appendAttrs(sb.append(' '), op);
        return sb.toString().strip();
    }

    private static void appendNode(StringBuilder sb, Node n, Set<String> params) {
        sb.append('%').append(name(n.name())).append(" = ").append(n.op().mnemonic()).append('(');
        for (int i = 0; i < n.operands().size(); i++) {
            if (i > 0) sb.append(", ");
            appendRef(sb, n.operands().get(i), params);
        }
        sb.append(')');
        int before = sb.length();
        sb.append(' ');
        appendAttrs(sb, n.op());
        if (sb.length() == before + 1) sb.setLength(before);
        sb.append(" : ").append(n.type());
    }

    private static void appendAttrs(StringBuilder sb, Op op) {
        OpSyntax.Form form = OpSyntax.formOf(op);
        List<Object> values = form.values().apply(op);
        boolean first = true;
        for (int i = 0; i < form.attrs().size(); i++) {
            if (values.get(i) == null) continue; // an absent optional attribute
            sb.append(first ? "{" : ", ");
            first = false;
            sb.append(form.attrs().get(i).name()).append(" = ");
            if (form.attrs().get(i).kind() == OpSyntax.AttrKind.STRING) sb.append(quote((String) values.get(i)));
            else appendValue(sb, values.get(i));
        }
        if (!first) sb.append('}');
    }

    private static void appendValue(StringBuilder sb, Object v) {
        switch (v) {
            case Double d -> sb.append(Double.toString(d));
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(',');
                    sb.append(l.get(i));
                }
                sb.append(']');
            }
            default -> sb.append(v); // Integer, Boolean, Hw "[h,w]", Pads "[t,l,b,r]"
        }
    }

    private static void appendInit(StringBuilder sb, ParamInit init) {
        switch (init) {
            case ParamInit.Constant c -> sb.append("const(").append(Double.toString(c.value())).append(')');
            case ParamInit.Uniform u -> sb.append("uniform(").append(Double.toString(u.bound())).append(')');
            case ParamInit.Computed c -> sb.append("computed");
        }
    }

    private static void appendRef(StringBuilder sb, String value, Set<String> params) {
        sb.append(params.contains(value) ? '@' : '%').append(name(value));
    }

    /** True if {@code c} may appear in a bare (unquoted) name. */
    static boolean isBareChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }

    /**
     * A name as written after {@code %} or {@code @}: bare when it is non-empty and made of
     * {@code [A-Za-z0-9_.]}, otherwise a double-quoted string in which {@code "} and {@code \} are
     * escaped and every character outside printable ASCII is written {@code \}{@code uXXXX}, so that
     * any Java string (lone surrogates included) reads back unchanged.
     */
    public static String name(String name) {
        boolean bare = !name.isEmpty();
        for (int i = 0; bare && i < name.length(); i++) bare = isBareChar(name.charAt(i));
        if (bare) return name;
        return quote(name);
    }

    /** A string attribute (or a name that needs quoting): always double-quoted, escaped as {@link #name} describes. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7f) sb.append(c);
                    else sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb.append('"').toString();
    }
}
