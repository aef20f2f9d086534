package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Map;
import tml.frontend.diag.Span;
import tml.ir.graph.*;

/**
 * The bound arguments of one built-in call, with typed accessors that report errors at the argument,
 * and the means for a layer to create its weights and its node under its name.
 */
public final class CallArgs {
    private final Builtin builtin;
    private final Map<String, Value> values;
    private final Map<String, Span> spans;
    private final Span callSpan;
    private final GraphBuilder graph;
    private final String layerName;

    CallArgs(Builtin builtin, Map<String, Value> values, Map<String, Span> spans, Span callSpan, GraphBuilder graph, String layerName) {
        this.builtin = builtin;
        this.values = values;
        this.spans = spans;
        this.callSpan = callSpan;
        this.graph = graph;
        this.layerName = layerName;
    }

    public Span span() { return callSpan; }

    public Span spanOf(String param) { return spans.getOrDefault(param, callSpan); }

    public boolean given(String param) { return spans.containsKey(param); }

    public Value get(String param) { return values.get(param); }

    public EvalError error(String param, String message) { return new EvalError(spanOf(param), message); }

    private EvalError typeError(String param, String expected) {
        return error(param, "argument '" + param + "' of " + builtin.name() + " must be " + expected + ", got "
                + Value.typeName(get(param)) + (get(param) instanceof Value.TensorV || Value.show(get(param)).equals(Value.typeName(get(param)))
                        ? "" : " " + Value.show(get(param))));
    }

    public Value.TensorV tensor(String p) {
        if (get(p) instanceof Value.TensorV t) return t;
        throw typeError(p, "a tensor");
    }

    public long integer(String p) {
        if (get(p) instanceof Value.IntV i) return i.v();
        throw typeError(p, "an int");
    }

    public int positive(String p) {
        long v = integer(p);
        if (v <= 0 || v > Integer.MAX_VALUE) throw error(p, "argument '" + p + "' of " + builtin.name() + " must be positive, got " + v);
        return (int) v;
    }

    public int nonNegative(String p) {
        long v = integer(p);
        if (v < 0 || v > Integer.MAX_VALUE) throw error(p, "argument '" + p + "' of " + builtin.name() + " must not be negative, got " + v);
        return (int) v;
    }

    public double number(String p) {
        return switch (get(p)) {
            case Value.IntV i -> i.v();
            case Value.FloatV f -> f.v();
            default -> throw typeError(p, "a number");
        };
    }

    public boolean bool(String p) {
        if (get(p) instanceof Value.BoolV b) return b.v();
        throw typeError(p, "a bool");
    }

    public String str(String p) {
        if (get(p) instanceof Value.StrV s) return s.v();
        throw typeError(p, "a str");
    }

    public ImmutableList<Value> list(String p) {
        return switch (get(p)) {
            case Value.ListV l -> l.items();
            case Value.TupleV t -> t.items();
            default -> throw typeError(p, "a list");
        };
    }

    /** An int or a pair (h, w) of positive ints. */
    public Hw hw(String p) {
        Value v = get(p);
        if (v instanceof Value.IntV) {
            int x = positive(p);
            return Hw.of(x);
        }
        List<Value> items = v instanceof Value.TupleV t ? t.items() : v instanceof Value.ListV l ? l.items() : null;
        if (items != null && items.size() == 2 && items.get(0) instanceof Value.IntV a && items.get(1) instanceof Value.IntV b) {
            if (a.v() <= 0 || b.v() <= 0 || a.v() > Integer.MAX_VALUE || b.v() > Integer.MAX_VALUE) {
                throw error(p, "argument '" + p + "' of " + builtin.name() + " must be positive, got " + Value.show(v));
            }
            return new Hw((int) a.v(), (int) b.v());
        }
        throw typeError(p, "an int or a pair (h, w)");
    }

    /** An int, (h, w) or (top, left, bottom, right) of non-negative ints. */
    public Pads pads(String p) {
        Value v = get(p);
        if (v instanceof Value.IntV) {
            int x = nonNegative(p);
            return Pads.symmetric(x, x);
        }
        List<Value> items = v instanceof Value.TupleV t ? t.items() : v instanceof Value.ListV l ? l.items() : null;
        if (items != null && (items.size() == 2 || items.size() == 4) && items.stream().allMatch(i -> i instanceof Value.IntV)) {
            int[] a = items.stream().mapToInt(i -> (int) Math.max(-1, Math.min(Integer.MAX_VALUE, ((Value.IntV) i).v()))).toArray();
            for (int x : a) if (x < 0) throw error(p, "argument '" + p + "' of " + builtin.name() + " must not be negative, got " + Value.show(v));
            return a.length == 2 ? Pads.symmetric(a[0], a[1]) : new Pads(a[0], a[1], a[2], a[3]);
        }
        throw typeError(p, "an int, (h, w) or (top, left, bottom, right)");
    }

    // ---- for layers ----

    private GraphBuilder graph() {
        if (graph == null) throw new EvalError(callSpan, builtin.name() + " creates a layer, which is only possible inside a network or block");
        return graph;
    }

    /** Declares a weight {@code <layer>.<local>} of this layer. */
    public Value.TensorV weight(String local, TensorType type, ParamInit init) {
        return graph().param(layerName + "." + local, type, init, false, callSpan);
    }

    /** Declares a buffer (state that is not trained, such as running statistics). */
    public Value.TensorV buffer(String local, TensorType type, ParamInit init) {
        return graph().param(layerName + "." + local, type, init, true, callSpan);
    }

    /** Creates this layer's node. */
    public Value.TensorV node(Op op, List<Value.TensorV> operands) {
        return graph().node(layerName, op, operands, callSpan);
    }
}
