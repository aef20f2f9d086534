package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Expr;
import tml.ir.graph.TensorType;

/** Compile-time values. Tensors are symbolic: a graph value name and its type. */
public sealed interface Value {
    record IntV(long v) implements Value {}
    record FloatV(double v) implements Value {}
    record BoolV(boolean v) implements Value {}
    record StrV(String v) implements Value {}
    record ListV(ImmutableList<Value> items) implements Value {}
    record TupleV(ImmutableList<Value> items) implements Value {}
    record UnitV() implements Value {}
    record TensorV(String ref, TensorType type) implements Value {}
    record BlockV(Decl.Block decl, ModuleEnv module) implements Value {}
    record FnV(Decl.Fn decl, ModuleEnv module) implements Value {}
    record BuiltinV(Builtin builtin) implements Value {}
    /** A {@code seq { }} closure: applied to one tensor it runs its stages. */
    record SeqV(Expr.Seq seq, Env env, java.util.Optional<Expr.Labeled> label) implements Value {
        SeqV(Expr.Seq seq, Env env) { this(seq, env, java.util.Optional.empty()); }
    }
    record ModuleV(ModuleEnv module) implements Value {}
    record NetworkV(Decl.Network decl, ModuleEnv module) implements Value {}
    /** A circuit declaration: called in a network it is a layer (a {@code quantum} node), see docs/quantum.md. */
    record CircuitV(Decl.Circuit decl, ModuleEnv module) implements Value {}
    /** A declaration that has no value in expressions (circuits, policies, targets). */
    record DeclV(Decl decl) implements Value {}
    /** A gate or circuit operation (h, cx, rx, measure, ...), usable inside circuits. */
    record GateV(String name) implements Value {}
    /** One qubit of a circuit (a flat index). */
    record QubitV(int index) implements Value {}
    /** A qubit register {@code qubits q[n]}: qubits start .. start+size-1. */
    record QRegV(String name, int start, int size) implements Value {}
    /** A classical register {@code bits c[n]}: classical bits start .. start+size-1. */
    record CRegV(String name, int start, int size) implements Value {}
    /** One classical bit. */
    record ClbitV(int index) implements Value {}
    /** A run-time condition {@code c == value} on a classical register (OpenQASM 2's {@code if}). */
    record CondV(int firstClbit, int width, long value) implements Value {}
    /** A gate angle: affine in the circuit's trainable parameters and input features. */
    record AngleV(tml.ir.quantum.Angle angle) implements Value {}
    /**
     * A (partly indexed) array of symbols: a circuit's {@code param theta: f32[l, n]} or its
     * {@code input x: f32[16]}. Indexing down to a scalar gives an {@link AngleV}.
     */
    record SymbolArrayV(String name, ImmutableList<Integer> shape, ImmutableList<Integer> prefix, boolean input, int inputBase) implements Value {}
    /** The value of something that already failed with a reported error; using it fails silently. */
    record Poison() implements Value {}

    UnitV UNIT = new UnitV();
    Poison POISON = new Poison();

    static String typeName(Value v) {
        return switch (v) {
            case IntV i -> "int";
            case FloatV f -> "float";
            case BoolV b -> "bool";
            case StrV s -> "str";
            case ListV l -> "list";
            case TupleV t -> "tuple";
            case UnitV u -> "()";
            case TensorV t -> "tensor " + t.type();
            case BlockV b -> "block";
            case FnV f -> "fn";
            case BuiltinV b -> "built-in function";
            case SeqV s -> "seq";
            case ModuleV m -> "module";
            case NetworkV n -> "network";
            case CircuitV c -> "circuit";
            case DeclV d -> d.decl().getClass().getSimpleName().toLowerCase();
            case GateV g -> "gate";
            case CRegV r -> "classical register";
            case ClbitV b -> "classical bit";
            case CondV c -> "run-time condition";
            case QubitV q -> "qubit";
            case QRegV r -> "qubit register";
            case AngleV a -> "angle";
            case SymbolArrayV a -> a.input() ? "input array" : "param array";
            case Poison p -> "<error>";
        };
    }

    /** The type name with its article: "an int", "a list". */
    static String aTypeName(Value v) {
        String t = typeName(v);
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    /** How a value is shown in messages and reports. */
    static String show(Value v) {
        return switch (v) {
            case IntV i -> Long.toString(i.v());
            case FloatV f -> Double.toString(f.v());
            case BoolV b -> Boolean.toString(b.v());
            case StrV s -> "\"" + s.v() + "\"";
            case ListV l -> showNested(v);
            case TupleV t -> showNested(v);
            case TensorV t -> t.type().toString();
            case QubitV q -> "q[" + q.index() + "]";
            case AngleV a -> a.angle().toString();
            default -> typeName(v);
        };
    }

    /**
     * Lists can share their elements ({@code [x, x]} repeated), so the text of a small value can be
     * exponentially long: it is cut after this many characters.
     */
    int MAX_SHOWN = 10_000_000;

    private static String showNested(Value v) {
        StringBuilder sb = new StringBuilder();
        showInto(v, sb);
        if (sb.length() > MAX_SHOWN) {
            sb.setLength(MAX_SHOWN);
            sb.append("...");
        }
        return sb.toString();
    }

    private static void showInto(Value v, StringBuilder sb) {
        if (sb.length() > MAX_SHOWN) return;
        ImmutableList<Value> items;
        boolean list = v instanceof ListV;
        if (v instanceof ListV l) items = l.items();
        else if (v instanceof TupleV t) items = t.items();
        else {
            sb.append(show(v));
            return;
        }
        sb.append(list ? "[" : "(");
        for (int i = 0; i < items.size() && sb.length() <= MAX_SHOWN; i++) {
            if (i > 0) sb.append(", ");
            showInto(items.get(i), sb);
        }
        sb.append(list ? "]" : items.size() == 1 ? ",)" : ")");
    }
}
