package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import tml.frontend.ast.Expr.Binary;
import tml.frontend.ast.Expr.BinaryOp;
import tml.frontend.elab.Value.*;

/** Compile-time arithmetic, comparison and concatenation of non-tensor values. */
final class Arith {
    private Arith() {}

    static Value apply(BinaryOp op, Value l, Value r, Binary at) {
        if (l instanceof IntV a && r instanceof IntV b) return ints(op, a.v(), b.v(), at);
        if ((l instanceof IntV || l instanceof FloatV) && (r instanceof IntV || r instanceof FloatV)) {
            return floats(op, Builtins.num(l), Builtins.num(r), at);
        }
        switch (op) {
            case EQ: return new BoolV(same(l, r, new java.util.HashSet<>()));
            case NE: return new BoolV(!same(l, r, new java.util.HashSet<>()));
            default: break;
        }
        if (l instanceof StrV a && r instanceof StrV b) {
            return switch (op) {
                case ADD -> {
                    if ((long) a.v().length() + b.v().length() > Builtins.MAX_RANGE) {
                        throw new EvalError(at.span(), "the joined string would have more than " + Builtins.MAX_RANGE + " characters");
                    }
                    yield new StrV(a.v() + b.v());
                }
                case LT -> new BoolV(a.v().compareTo(b.v()) < 0);
                case LE -> new BoolV(a.v().compareTo(b.v()) <= 0);
                case GT -> new BoolV(a.v().compareTo(b.v()) > 0);
                case GE -> new BoolV(a.v().compareTo(b.v()) >= 0);
                default -> throw mismatch(op, l, r, at);
            };
        }
        if (l instanceof ListV a && r instanceof ListV b && op == BinaryOp.ADD) {
            if ((long) a.items().size() + b.items().size() > Builtins.MAX_RANGE) {
                throw new EvalError(at.span(), "the joined list would have more than " + Builtins.MAX_RANGE + " elements");
            }
            return new ListV(ImmutableList.<Value>builder().addAll(a.items()).addAll(b.items()).build());
        }
        if (l instanceof ListV a && r instanceof IntV n && op == BinaryOp.MUL) {
            if (n.v() < 0 || n.v() > Builtins.MAX_RANGE / Math.max(1, a.items().size())) {
                throw new EvalError(at.span(), "cannot repeat a list " + n.v() + " times");
            }
            ImmutableList.Builder<Value> out = ImmutableList.builder();
            for (long i = 0; i < n.v(); i++) out.addAll(a.items());
            return new ListV(out.build());
        }
        throw mismatch(op, l, r, at);
    }

    /** Two lists compared once: lists share elements ({@code [x, x]}), so comparing them naively can take exponential time. */
    private record Compared(Object a, Object b) {
        @Override public boolean equals(Object o) { return o instanceof Compared c && c.a == a && c.b == b; }
        @Override public int hashCode() { return 31 * System.identityHashCode(a) + System.identityHashCode(b); }
    }

    /** {@code l.equals(r)}, remembering which pairs of lists were already found equal. */
    private static boolean same(Value l, Value r, java.util.Set<Compared> equal) {
        if (l == r) return true;
        ImmutableList<Value> a, b;
        if (l instanceof ListV x && r instanceof ListV y) {
            a = x.items();
            b = y.items();
        } else if (l instanceof TupleV x && r instanceof TupleV y) {
            a = x.items();
            b = y.items();
        } else {
            return l.equals(r);
        }
        if (a == b || equal.contains(new Compared(a, b))) return true;
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i), equal)) return false;
        equal.add(new Compared(a, b));
        return true;
    }

    private static EvalError mismatch(BinaryOp op, Value l, Value r, Binary at) {
        return new EvalError(at.opSpan(), "operator '" + op.text + "' cannot be applied to " + Value.typeName(l) + " and " + Value.typeName(r));
    }

    private static Value ints(BinaryOp op, long a, long b, Binary at) {
        return switch (op) {
            case ADD -> new IntV(Math.addExact(a, b));
            case SUB -> new IntV(Math.subtractExact(a, b));
            case MUL -> new IntV(Math.multiplyExact(a, b));
            case DIV -> {
                if (b == 0) throw new EvalError(at.span(), "division by zero");
                yield new IntV(Math.floorDiv(a, b));
            }
            case MOD -> {
                if (b == 0) throw new EvalError(at.span(), "division by zero");
                yield new IntV(Math.floorMod(a, b));
            }
            case POW -> {
                if (b < 0) yield new FloatV(Math.pow(a, b));
                if (a == -1) yield new IntV(b % 2 == 0 ? 1 : -1);
                long result = 1;
                for (long i = 0; i < b; i++) {
                    result = Math.multiplyExact(result, a);
                    if (result == 0 || result == 1 && a == 1) break;
                }
                yield new IntV(result);
            }
            case EQ -> new BoolV(a == b);
            case NE -> new BoolV(a != b);
            case LT -> new BoolV(a < b);
            case LE -> new BoolV(a <= b);
            case GT -> new BoolV(a > b);
            case GE -> new BoolV(a >= b);
            default -> throw new EvalError(at.opSpan(), "operator '" + op.text + "' cannot be applied to int and int");
        };
    }

    private static Value floats(BinaryOp op, double a, double b, Binary at) {
        return switch (op) {
            case ADD -> new FloatV(a + b);
            case SUB -> new FloatV(a - b);
            case MUL -> new FloatV(a * b);
            case DIV -> {
                if (b == 0) throw new EvalError(at.span(), "division by zero");
                yield new FloatV(a / b);
            }
            case MOD -> {
                if (b == 0) throw new EvalError(at.span(), "division by zero");
                yield new FloatV(a - Math.floor(a / b) * b);
            }
            case POW -> new FloatV(Math.pow(a, b));
            case EQ -> new BoolV(a == b);
            case NE -> new BoolV(a != b);
            case LT -> new BoolV(a < b);
            case LE -> new BoolV(a <= b);
            case GT -> new BoolV(a > b);
            case GE -> new BoolV(a >= b);
            default -> throw new EvalError(at.opSpan(), "operator '" + op.text + "' cannot be applied to numbers");
        };
    }
}
