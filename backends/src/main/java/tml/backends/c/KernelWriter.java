package tml.backends.c;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.backends.c.CHelpers.Helper;
import tml.ir.loop.Annotation;
import tml.ir.loop.Expr;
import tml.ir.loop.Expr.*;
import tml.ir.loop.ScalarType;
import tml.ir.loop.Stmt;
import tml.ir.loop.Stmt.*;

/**
 * Writes the statements of one kernel as C99, as they stand in the loop IR: a {@code for} per loop
 * with the IR's bounds (an upper bound that a body could change is evaluated once, as the IR
 * defines), a C local per IR local, stores as array assignments. Index arithmetic is
 * {@code int64_t}; IR floor division and modulo call {@code tml_floordiv}/{@code tml_floormod};
 * {@code exp}/{@code tanh} of f32 call {@code tml_expf}/{@code tml_tanhf} and {@code sqrt} calls
 * {@code sqrtf}/{@code sqrt} (overridable with {@code TML_SQRTF}/{@code TML_SQRT}). Owns the
 * mapping of IR scalar names to C names within the kernel and records which helpers it used.
 */
final class KernelWriter {
    /** C precedence levels (higher binds tighter). */
    private static final int TERNARY = 3, OR = 4, AND = 5, EQUALITY = 9, RELATIONAL = 10, ADDITIVE = 12, MULTIPLICATIVE = 13,
            UNARY = 15, PRIMARY = 16;

    /** A C expression, its precedence and whether its C type is an {@code int64_t} (not a plain int literal). */
    private record C(String text, int prec, boolean wide) {
        C(String text, int prec) { this(text, prec, true); }
    }

    private final StringBuilder sb;
    private final Map<String, ScalarType> bufferTypes;
    /** The C expression naming each buffer's pointer in this kernel. */
    private final Map<String, String> bufferNames;
    private final CNames names;
    private final Set<Helper> helpers;
    /** C names of IR scalars, one per IR name in this kernel (the IR forbids shadowing, so scopes agree). */
    private final Map<String, String> scalarNames = new HashMap<>();
    /** Types of the scalars visible at the current point, innermost scope last. */
    private final Deque<Map<String, ScalarType>> scopes = new ArrayDeque<>();
    private final Deque<String> loopVars = new ArrayDeque<>();
    private boolean usesLibm;

    KernelWriter(StringBuilder sb, Map<String, ScalarType> bufferTypes, Map<String, String> bufferNames, CNames names, Set<Helper> helpers) {
        this.sb = sb;
        this.bufferTypes = bufferTypes;
        this.bufferNames = bufferNames;
        this.names = names;
        this.helpers = helpers;
    }

    /** Whether the kernel calls a libm function (sqrt, or exp/tanh of f64). */
    boolean usesLibm() { return usesLibm; }

    static String cType(ScalarType t) {
        return switch (t) {
            case INDEX -> "int64_t";
            case F32 -> "float";
            case F64 -> "double";
            case BOOL -> "bool";
        };
    }

    /** Writes the statements of a kernel body at the given indentation. */
    void body(Block body, int indent) {
        scopes.push(new HashMap<>());
        stmts(body.stmts(), indent);
        scopes.pop();
    }

    private void indent(int n) { sb.append("    ".repeat(n)); }

    private String scalar(String irName) { return scalarNames.computeIfAbsent(irName, names::fresh); }

    private ScalarType scalarType(String irName) {
        for (Map<String, ScalarType> s : scopes) {
            ScalarType t = s.get(irName);
            if (t != null) return t;
        }
        throw new IllegalArgumentException("undeclared scalar $" + irName);
    }

    private void stmts(List<Stmt> list, int indent) {
        for (int i = 0; i < list.size(); i++) {
            Stmt s = list.get(i);
            stmt(s, indent);
            if (s instanceof Local l && !readsScalar(list.subList(i + 1, list.size()), l.name())) {
                indent(indent);
                sb.append("(void)").append(scalar(l.name())).append("; /* not read */\n");
            }
        }
    }

    private void stmt(Stmt s, int indent) {
        switch (s) {
            case For f -> forLoop(f, indent);
            case Store st -> {
                ScalarType t = bufferTypes.get(st.buffer());
                if (t == null) throw new IllegalArgumentException("store to undeclared buffer %" + st.buffer());
                indent(indent);
                sb.append(bufferNames.get(st.buffer())).append('[').append(expr(st.index()).text).append("] = ")
                        .append(expr(st.value()).text).append(";\n");
            }
            case Block b -> {
                indent(indent);
                sb.append("{\n");
                scopes.push(new HashMap<>());
                stmts(b.stmts(), indent + 1);
                scopes.pop();
                indent(indent);
                sb.append("}\n");
            }
            case If i -> {
                indent(indent);
                sb.append("if (").append(expr(i.cond()).text).append(") {\n");
                body(i.then(), indent + 1);
                if (i.otherwise().isPresent()) {
                    indent(indent);
                    sb.append("} else {\n");
                    body(i.otherwise().get(), indent + 1);
                }
                indent(indent);
                sb.append("}\n");
            }
            case Local l -> {
                String init = expr(l.init()).text; // the initialiser sees the outer scope
                scopes.peek().put(l.name(), l.type());
                indent(indent);
                sb.append(cType(l.type())).append(' ').append(scalar(l.name())).append(" = ").append(init).append(";\n");
            }
            case Assign a -> {
                scalarType(a.name());
                indent(indent);
                sb.append(scalar(a.name())).append(" = ").append(expr(a.value()).text).append(";\n");
            }
        }
    }

    private void forLoop(For f, int indent) {
        String lo = expr(f.lo()).text, hi = expr(f.hi()).text;
        String v = scalar(f.var());
        indent(indent);
        sb.append("for (int64_t ").append(v).append(" = ").append(lo);
        if (invariant(f.hi())) {
            sb.append("; ").append(v).append(" < ").append(hi);
        } else {
            String end = names.fresh(v + "_end");
            sb.append(", ").append(end).append(" = ").append(hi).append("; ").append(v).append(" < ").append(end);
        }
        sb.append("; ").append(v).append("++) {");
        if (!(f.annotation() instanceof Annotation.Serial)) sb.append(" /* ").append(f.annotation()).append(" */");
        sb.append('\n');
        Map<String, ScalarType> scope = new HashMap<>();
        scope.put(f.var(), ScalarType.INDEX);
        scopes.push(scope);
        loopVars.push(f.var());
        stmts(f.body().stmts(), indent + 1);
        loopVars.pop();
        scopes.pop();
        indent(indent);
        sb.append("}\n");
    }

    /** Whether a loop bound cannot change while the loop runs: only constants and enclosing loop variables. */
    private boolean invariant(Expr e) {
        return switch (e) {
            case IntConst c -> true;
            case Var v -> loopVars.contains(v.name());
            case Binary b -> invariant(b.a()) && invariant(b.b());
            case Select s -> invariant(s.cond()) && invariant(s.a()) && invariant(s.b());
            case Cast c -> invariant(c.value());
            default -> false;
        };
    }

    private static boolean readsScalar(List<Stmt> stmts, String name) {
        for (Stmt s : stmts) if (reads(s, name)) return true;
        return false;
    }

    private static boolean reads(Stmt s, String name) {
        return switch (s) {
            case For f -> reads(f.lo(), name) || reads(f.hi(), name) || readsScalar(f.body().stmts(), name);
            case Store st -> reads(st.index(), name) || reads(st.value(), name);
            case Block b -> readsScalar(b.stmts(), name);
            case If i -> reads(i.cond(), name) || readsScalar(i.then().stmts(), name)
                    || i.otherwise().map(o -> readsScalar(o.stmts(), name)).orElse(false);
            case Local l -> reads(l.init(), name);
            case Assign a -> reads(a.value(), name);
        };
    }

    private static boolean reads(Expr e, String name) {
        return switch (e) {
            case Var v -> v.name().equals(name);
            case Load l -> reads(l.index(), name);
            case Binary b -> reads(b.a(), name) || reads(b.b(), name);
            case Select s -> reads(s.cond(), name) || reads(s.a(), name) || reads(s.b(), name);
            case Cast c -> reads(c.value(), name);
            case Call c -> reads(c.arg(), name);
            case IntConst c -> false;
            case FloatConst c -> false;
        };
    }

    // ---------------- expressions ----------------

    ScalarType typeOf(Expr e) {
        return switch (e) {
            case IntConst c -> ScalarType.INDEX;
            case FloatConst f -> f.type();
            case Var v -> scalarType(v.name());
            case Load l -> {
                ScalarType t = bufferTypes.get(l.buffer());
                if (t == null) throw new IllegalArgumentException("load of undeclared buffer %" + l.buffer());
                yield t;
            }
            case Binary b -> b.op().isComparison() || b.op().isLogical() ? ScalarType.BOOL : typeOf(b.a());
            case Select s -> typeOf(s.a());
            case Cast c -> c.type();
            case Call c -> typeOf(c.arg());
        };
    }

    private static String paren(C c, int min) { return c.prec < min ? "(" + c.text + ")" : c.text; }

    private C expr(Expr e) {
        return switch (e) {
            case IntConst c -> {
                String t = CLiterals.index(c.value());
                yield new C(t, c.value() < 0 && !t.startsWith("INT64") ? UNARY : PRIMARY, t.startsWith("INT64"));
            }
            case FloatConst f -> {
                String t = f.type() == ScalarType.F32 ? CLiterals.f32((float) f.value()) : CLiterals.f64(f.value());
                yield new C(t, t.startsWith("-") ? UNARY : t.startsWith("(") ? UNARY : PRIMARY);
            }
            case Var v -> {
                scalarType(v.name());
                yield new C(scalar(v.name()), PRIMARY);
            }
            case Load l -> {
                typeOf(l);
                yield new C(bufferNames.get(l.buffer()) + "[" + expr(l.index()).text + "]", PRIMARY);
            }
            case Binary b -> binary(b);
            case Select s -> {
                C c = expr(s.cond()), x = expr(s.a()), y = expr(s.b());
                if (typeOf(s.a()) == ScalarType.INDEX && !x.wide && !y.wide) x = new C("(int64_t)" + paren(x, UNARY), UNARY);
                yield new C(paren(c, OR + 1) + " ? " + paren(x, OR) + " : " + paren(y, TERNARY), TERNARY);
            }
            case Cast c -> {
                ScalarType from = typeOf(c.value());
                C x = expr(c.value());
                if (from == c.type()) yield x;
                yield new C("(" + cType(c.type()) + ")" + paren(x, UNARY), UNARY);
            }
            case Call c -> call(c);
        };
    }

    private C call(Call c) {
        ScalarType t = typeOf(c.arg());
        String arg = expr(c.arg()).text;
        boolean f32 = t == ScalarType.F32;
        if (!t.isFloat()) throw new IllegalArgumentException(c.fn().text + " of " + t);
        if (c.fn() == Intrinsic.SQRT || !f32) usesLibm = true;
        String fn = switch (c.fn()) {
            case EXP -> {
                if (f32) helpers.add(Helper.EXPF);
                yield f32 ? "tml_expf" : "exp";
            }
            case TANH -> {
                if (f32) helpers.add(Helper.TANHF);
                yield f32 ? "tml_tanhf" : "tanh";
            }
            case SQRT -> f32 ? "TML_SQRTF" : "TML_SQRT";
        };
        return new C(fn + "(" + arg + ")", PRIMARY);
    }

    private C binary(Binary b) {
        ScalarType t = typeOf(b.a());
        C x = expr(b.a()), y = expr(b.b());
        BinOp op = b.op();
        if (op == BinOp.MIN || op == BinOp.MAX) {
            Helper h = switch (t) {
                case INDEX -> Helper.MINMAX_I64;
                case F32 -> Helper.MINMAX_F32;
                case F64 -> Helper.MINMAX_F64;
                case BOOL -> throw new IllegalArgumentException(op.symbol + " of bool");
            };
            helpers.add(h);
            String suffix = switch (t) {
                case INDEX -> "i64";
                case F32 -> "f32";
                default -> "f64";
            };
            return new C("tml_" + op.symbol + "_" + suffix + "(" + x.text + ", " + y.text + ")", PRIMARY);
        }
        if (t == ScalarType.INDEX && (op == BinOp.DIV || op == BinOp.REM)) {
            helpers.add(op == BinOp.DIV ? Helper.FLOORDIV : Helper.FLOORMOD);
            return new C((op == BinOp.DIV ? "tml_floordiv(" : "tml_floormod(") + x.text + ", " + y.text + ")", PRIMARY);
        }
        if (op == BinOp.REM) throw new IllegalArgumentException("'%' on " + t);
        int prec = switch (op) {
            case ADD, SUB -> ADDITIVE;
            case MUL, DIV -> MULTIPLICATIVE;
            case LT, LE, GT, GE -> RELATIONAL;
            case EQ, NE -> EQUALITY;
            case AND -> AND;
            case OR -> OR;
            default -> throw new IllegalStateException(op.toString());
        };
        if (t == ScalarType.INDEX && !op.isComparison() && !x.wide && !y.wide) {
            x = new C("(int64_t)" + paren(x, UNARY), UNARY); // two int literals: compute in 64 bits, as the IR does
        }
        String symbol = op.symbol;
        if (op.isComparison()) {
            // comparisons of comparisons get parentheses (the IR does not chain them; gcc's -Wparentheses asks for them)
            return new C(paren(x, ADDITIVE) + " " + symbol + " " + paren(y, ADDITIVE), prec);
        }
        if (op.isLogical()) {
            // a chain of one operator needs none; '&&' inside '||' gets them (-Wparentheses)
            String l = x.prec == prec || x.prec > AND ? x.text : "(" + x.text + ")";
            String r = y.prec > AND ? y.text : "(" + y.text + ")";
            return new C(l + " " + symbol + " " + r, prec);
        }
        return new C(paren(x, prec) + " " + symbol + " " + paren(y, prec + 1), prec);
    }
}
