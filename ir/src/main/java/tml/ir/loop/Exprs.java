package tml.ir.loop;

import com.google.common.collect.ImmutableList;
import java.util.List;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Stmt.*;

/**
 * Short constructors for building loop IR in Java, folding integer constants as they go
 * ({@code add(x, 0)} is {@code x}, {@code mul(2, 3)} is {@code 6}), so lowered kernels print
 * readably. Only integer arithmetic is simplified; float expressions are kept as written.
 */
public final class Exprs {
    private Exprs() {}

    public static Expr i(long v) { return new IntConst(v); }
    public static Expr f32(double v) { return new FloatConst(v, ScalarType.F32); }
    public static Expr f64(double v) { return new FloatConst(v, ScalarType.F64); }
    public static Expr v(String name) { return new Var(name); }
    public static Expr load(String buffer, Expr index) { return new Load(buffer, index); }

    private static boolean isInt(Expr e, long v) { return e instanceof IntConst c && c.value() == v; }

    public static Expr add(Expr a, Expr b) {
        if (a instanceof IntConst x && b instanceof IntConst y) return i(x.value() + y.value());
        if (isInt(a, 0)) return b;
        if (isInt(b, 0)) return a;
        // (e + c1) + c2 -> e + (c1 + c2)
        if (b instanceof IntConst y && a instanceof Binary ba && ba.op() == BinOp.ADD && ba.b() instanceof IntConst c) {
            return add(ba.a(), i(c.value() + y.value()));
        }
        if (b instanceof IntConst y && a instanceof Binary ba && ba.op() == BinOp.SUB) {
            if (ba.a() instanceof IntConst c) return sub(i(c.value() + y.value()), ba.b()); // (c - e) + k
            if (ba.b() instanceof IntConst c) return add(ba.a(), i(y.value() - c.value())); // (e - c) + k
        }
        if (a instanceof IntConst && !(b instanceof IntConst)) return add(b, a); // constants to the right
        if (b instanceof Binary bb && (bb.op() == BinOp.ADD || (bb.op() == BinOp.SUB && bb.b() instanceof IntConst))) {
            // a + (x + y) -> (a + x) + y and a + (e - c) -> (a + e) - c: exact for integers, and prints without parentheses
            return bb.op() == BinOp.ADD ? add(add(a, bb.a()), bb.b()) : sub(add(a, bb.a()), bb.b());
        }
        if (b instanceof IntConst y && y.value() < 0 && y.value() != Long.MIN_VALUE) return new Binary(BinOp.SUB, a, i(-y.value()));
        return new Binary(BinOp.ADD, a, b);
    }

    public static Expr add(Expr a, long b) { return add(a, i(b)); }

    public static Expr sub(Expr a, Expr b) {
        if (a instanceof IntConst x && b instanceof IntConst y) return i(x.value() - y.value());
        if (isInt(b, 0)) return a;
        if (b instanceof IntConst y && y.value() != Long.MIN_VALUE) return add(a, i(-y.value()));
        if (a instanceof IntConst x && b instanceof Binary bb && bb.b() instanceof IntConst c) {
            if (bb.op() == BinOp.SUB) return sub(i(x.value() + c.value()), bb.a()); // k - (e - c)
            if (bb.op() == BinOp.ADD) return sub(i(x.value() - c.value()), bb.a()); // k - (e + c)
        }
        return new Binary(BinOp.SUB, a, b);
    }

    public static Expr mul(Expr a, Expr b) {
        if (a instanceof IntConst x && b instanceof IntConst y) return i(x.value() * y.value());
        if (isInt(a, 0) || isInt(b, 0)) return i(0);
        if (isInt(a, 1)) return b;
        if (isInt(b, 1)) return a;
        return new Binary(BinOp.MUL, a, b);
    }

    public static Expr mul(Expr a, long b) { return mul(a, i(b)); }

    /** Floor division of indices. */
    public static Expr div(Expr a, long b) {
        if (a instanceof IntConst x) return i(Math.floorDiv(x.value(), b));
        if (b == 1) return a;
        return new Binary(BinOp.DIV, a, i(b));
    }

    /** Ceiling division of indices by a positive constant. */
    public static Expr ceilDiv(Expr a, long b) {
        if (a instanceof IntConst x) return i(Math.ceilDiv(x.value(), b));
        if (b == 1) return a;
        return div(add(a, b - 1), b);
    }

    public static Expr rem(Expr a, long b) {
        if (a instanceof IntConst x) return i(Math.floorMod(x.value(), b));
        if (b == 1) return i(0);
        return new Binary(BinOp.REM, a, i(b));
    }

    public static Expr min(Expr a, Expr b) {
        if (a instanceof IntConst x && b instanceof IntConst y) return i(Math.min(x.value(), y.value()));
        if (a.equals(b)) return a;
        return new Binary(BinOp.MIN, a, b);
    }

    public static Expr max(Expr a, Expr b) {
        if (a instanceof IntConst x && b instanceof IntConst y) return i(Math.max(x.value(), y.value()));
        if (a.equals(b)) return a;
        return new Binary(BinOp.MAX, a, b);
    }

    public static Expr bin(BinOp op, Expr a, Expr b) { return new Binary(op, a, b); }
    public static Expr fadd(Expr a, Expr b) { return new Binary(BinOp.ADD, a, b); }
    public static Expr fsub(Expr a, Expr b) { return new Binary(BinOp.SUB, a, b); }
    public static Expr fmul(Expr a, Expr b) { return new Binary(BinOp.MUL, a, b); }
    public static Expr fdiv(Expr a, Expr b) { return new Binary(BinOp.DIV, a, b); }
    public static Expr lt(Expr a, Expr b) { return new Binary(BinOp.LT, a, b); }
    public static Expr gt(Expr a, Expr b) { return new Binary(BinOp.GT, a, b); }
    public static Expr ne(Expr a, Expr b) { return new Binary(BinOp.NE, a, b); }
    public static Expr or(Expr a, Expr b) { return new Binary(BinOp.OR, a, b); }
    public static Expr select(Expr c, Expr a, Expr b) { return new Select(c, a, b); }
    public static Expr cast(ScalarType t, Expr e) { return new Cast(t, e); }
    public static Expr call(Intrinsic fn, Expr arg) { return new Call(fn, arg); }

    /** Row-major flat index of {@code idx} in an array of {@code dims}. */
    public static Expr flat(List<Expr> idx, List<Long> dims) {
        Expr e = i(0);
        for (int k = 0; k < idx.size(); k++) e = add(mul(e, i(dims.get(k))), idx.get(k));
        return e;
    }

    // ---- statements ----

    public static Block block(Stmt... s) { return Block.of(s); }
    public static Block block(List<? extends Stmt> s) { return Block.of(s); }

    /** A loop; a body that is a single block is used as the loop's block (no nested braces). */
    public static For loop(String var, Expr lo, Expr hi, Annotation a, Stmt... body) {
        if (body.length == 1 && body[0] instanceof Block b) return new For(var, lo, hi, a, b);
        return new For(var, lo, hi, a, block(body));
    }

    public static For loop(String var, long lo, long hi, Annotation a, Stmt... body) {
        return loop(var, i(lo), i(hi), a, body);
    }

    public static For loop(String var, long hi, Stmt... body) {
        return loop(var, i(0), i(hi), Annotation.SERIAL, body);
    }

    public static Store store(String buffer, Expr index, Expr value) { return new Store(buffer, index, value); }
    public static Local local(String name, ScalarType t, Expr init) { return new Local(name, t, init); }
    public static Assign assign(String name, Expr value) { return new Assign(name, value); }

    public static ImmutableList<Stmt> list(Stmt... s) { return ImmutableList.copyOf(s); }
}
