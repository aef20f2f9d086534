package tml.ir.loop;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Stmt.*;

/**
 * Checks a loop program: buffers declared once with sensible roles (input/output indices 0..n-1,
 * views of existing buffers without cycles, offsets inside the arena or weights), kernels that only
 * use declared buffers and scalars in scope, every expression well typed (indices are {@code index},
 * stored values have the buffer's element type), loop bounds free of loads with {@code lo <= hi} when
 * constant, annotation factors in range, no stores to inputs or weights, and no access that is
 * provably outside its buffer (interval analysis over the loop bounds).
 */
public final class LoopVerifier {
    private final Program p;
    private final Map<String, Buffer> buffers = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private String where = "";
    /** Whether the statement being checked certainly executes (not under an if or a loop that may not run). */
    private boolean definite = true;

    private LoopVerifier(Program p) { this.p = p; }

    public static ImmutableList<String> verify(Program p) {
        LoopVerifier v = new LoopVerifier(p);
        v.run();
        return ImmutableList.copyOf(v.problems);
    }

    /** Throws {@link IllegalStateException} listing the problems, for use after passes in tests. */
    public static void verifyOrThrow(Program p) {
        List<String> problems = verify(p);
        if (!problems.isEmpty()) throw new IllegalStateException("invalid loop program @" + p.name() + ":\n  " + String.join("\n  ", problems));
    }

    private void problem(String msg) { problems.add(where + msg); }

    private void run() {
        if (p.arenaBytes() < 0) problem("negative arena size " + p.arenaBytes());
        if (p.weightBytes() < 0) problem("negative weights size " + p.weightBytes());
        Set<Integer> ins = new HashSet<>(), outs = new HashSet<>();
        for (Buffer b : p.buffers()) {
            if (buffers.put(b.name(), b) != null) problem("buffer %" + b.name() + " is declared twice");
            if (!b.type().isFloat()) problem("buffer %" + b.name() + " has element type " + b.type() + "; buffers hold f32 or f64");
            switch (b.role()) {
                case Role.Input in -> { if (in.index() < 0 || !ins.add(in.index())) problem("buffer %" + b.name() + ": input index " + in.index() + " is negative or repeated"); }
                case Role.Output out -> { if (out.index() < 0 || !outs.add(out.index())) problem("buffer %" + b.name() + ": output index " + out.index() + " is negative or repeated"); }
                case Role.Weight w -> region(b, w.offset(), p.weightBytes(), "weights");
                case Role.Arena a -> region(b, a.offset(), p.arenaBytes(), "arena");
                case Role.Scratch s -> region(b, s.offset(), p.arenaBytes(), "arena");
                case Role.View v -> { }
            }
        }
        for (int i = 0; i < ins.size(); i++) if (!ins.contains(i)) problem("no buffer is input " + i + " (inputs are numbered from 0)");
        for (int i = 0; i < outs.size(); i++) if (!outs.contains(i)) problem("no buffer is output " + i + " (outputs are numbered from 0)");
        for (Buffer b : p.buffers()) {
            if (b.role() instanceof Role.View) checkView(b);
        }
        Set<String> kernelNames = new HashSet<>();
        Map<String, String> scratchUser = new HashMap<>();
        for (Kernel k : p.kernels()) {
            where = "kernel @" + k.name() + ": ";
            if (!kernelNames.add(k.name())) problem("the kernel name is used twice");
            for (String ip : k.inPlace()) if (!buffers.containsKey(ip)) problem("inplace names undeclared buffer %" + ip);
            Scope scope = new Scope();
            definite = true;
            block(k.body(), scope);
            for (String b : scope.used) {
                Buffer buf = buffers.get(b);
                if (buf != null && buf.role() instanceof Role.Scratch) {
                    String prev = scratchUser.put(b, k.name());
                    if (prev != null) problem("scratch buffer %" + b + " is also used by kernel @" + prev + " (scratch belongs to one kernel)");
                }
            }
            where = "";
        }
    }

    private void region(Buffer b, long offset, long total, String what) {
        if (offset == Role.UNPLANNED) return;
        if (offset < 0) problem("buffer %" + b.name() + " has negative offset " + offset);
        else if (offset % b.type().bytes() != 0) problem("buffer %" + b.name() + ": offset " + offset + " is not a multiple of " + b.type().bytes());
        else if (offset + b.bytes() > total) {
            problem("buffer %" + b.name() + " (" + b.bytes() + " bytes at " + offset + ") extends past the " + what + " of " + total + " bytes");
        }
    }

    private void checkView(Buffer b) {
        Set<String> seen = new HashSet<>();
        Buffer cur = b;
        while (cur.role() instanceof Role.View v) {
            if (!seen.add(cur.name())) {
                problem("buffer %" + b.name() + ": views form a cycle");
                return;
            }
            Buffer src = buffers.get(v.source());
            if (src == null) {
                problem("buffer %" + cur.name() + " is a view of undeclared buffer %" + v.source());
                return;
            }
            cur = src;
        }
        if (cur.type() != b.type()) problem("view %" + b.name() + " has type " + b.type() + " but its source %" + cur.name() + " has " + cur.type());
        if (b.count() > cur.count()) problem("view %" + b.name() + " has " + b.count() + " elements but its source %" + cur.name() + " only " + cur.count());
    }

    private Buffer rootOf(Buffer b) {
        Buffer cur = b;
        for (int i = 0; i <= buffers.size() && cur.role() instanceof Role.View v && buffers.containsKey(v.source()); i++) cur = buffers.get(v.source());
        return cur;
    }

    /** Names in scope with their types, loop variables with their value ranges. */
    private static final class Scope {
        final Map<String, ScalarType> types = new HashMap<>();
        final Set<String> loopVars = new HashSet<>();
        final Map<String, long[]> ranges = new HashMap<>();
        final Set<String> used = new HashSet<>();
    }

    private void block(Block b, Scope s) {
        List<String> declared = new ArrayList<>();
        for (Stmt st : b.stmts()) stmt(st, s, declared);
        for (String d : declared) s.types.remove(d);
    }

    private boolean declare(String name, ScalarType t, Scope s, List<String> declared) {
        if (s.types.containsKey(name)) {
            problem("$" + name + " is declared again in its own scope");
            return false;
        }
        s.types.put(name, t);
        declared.add(name);
        return true;
    }

    private void stmt(Stmt st, Scope s, List<String> declared) {
        switch (st) {
            case For f -> {
                ScalarType lo = type(f.lo(), s), hi = type(f.hi(), s);
                if (lo != null && lo != ScalarType.INDEX) problem("for $" + f.var() + ": lower bound has type " + lo + ", not index");
                if (hi != null && hi != ScalarType.INDEX) problem("for $" + f.var() + ": upper bound has type " + hi + ", not index");
                if (hasLoad(f.lo()) || hasLoad(f.hi())) problem("for $" + f.var() + ": bounds must not load from buffers");
                boolean constant = f.lo() instanceof IntConst && f.hi() instanceof IntConst;
                if (constant && ((IntConst) f.lo()).value() > ((IntConst) f.hi()).value()) {
                    problem("for $" + f.var() + ": empty range " + ((IntConst) f.lo()).value() + " .. " + ((IntConst) f.hi()).value());
                }
                switch (f.annotation()) {
                    case Annotation.Unroll u -> { if (u.factor() < 2) problem("for $" + f.var() + ": unroll factor " + u.factor() + " must be at least 2"); }
                    case Annotation.Vectorize v -> {
                        if (v.width() < 2 || v.width() > 64 || Integer.bitCount(v.width()) != 1) {
                            problem("for $" + f.var() + ": vector width " + v.width() + " must be a power of two from 2 to 64");
                        }
                    }
                    case Annotation.Serial x -> { }
                    case Annotation.Parallel x -> { }
                }
                long[] lr = interval(f.lo(), s), hr = interval(f.hi(), s);
                List<String> mine = new ArrayList<>();
                if (declare(f.var(), ScalarType.INDEX, s, mine)) {
                    s.loopVars.add(f.var());
                    s.ranges.put(f.var(), new long[] {lr[0], sat(hr[1], -1)});
                }
                boolean runs = constant && ((IntConst) f.lo()).value() < ((IntConst) f.hi()).value();
                boolean saved = definite;
                definite = definite && runs;
                block(f.body(), s);
                definite = saved;
                for (String d : mine) {
                    s.types.remove(d);
                    s.loopVars.remove(d);
                    s.ranges.remove(d);
                }
            }
            case Store st2 -> {
                Buffer b = access(st2.buffer(), st2.index(), s);
                ScalarType vt = type(st2.value(), s);
                if (b != null) {
                    Role r = rootOf(b).role();
                    if (r instanceof Role.Input || r instanceof Role.Weight) problem("stores to %" + b.name() + ", which is read-only (" + roleName(r) + ")");
                    if (vt != null && vt != b.type()) problem("stores a " + vt + " value into %" + b.name() + " of " + b.type());
                }
            }
            case Block b -> block(b, s);
            case If i -> {
                ScalarType c = type(i.cond(), s);
                if (c != null && c != ScalarType.BOOL) problem("if condition has type " + c + ", not bool");
                boolean saved = definite;
                definite = false;
                block(i.then(), s);
                i.otherwise().ifPresent(o -> block(o, s));
                definite = saved;
            }
            case Local l -> {
                ScalarType t = type(l.init(), s);
                if (t != null && t != l.type()) problem("var $" + l.name() + " : " + l.type() + " is initialised with a " + t + " value");
                declare(l.name(), l.type(), s, declared);
            }
            case Assign a -> {
                ScalarType t = type(a.value(), s);
                ScalarType declaredType = s.types.get(a.name());
                if (declaredType == null) problem("assigns undeclared $" + a.name());
                else if (s.loopVars.contains(a.name())) problem("assigns loop variable $" + a.name());
                else if (t != null && t != declaredType) problem("assigns a " + t + " value to $" + a.name() + " : " + declaredType);
            }
        }
    }

    private static String roleName(Role r) {
        return switch (r) {
            case Role.Input i -> "an input";
            case Role.Weight w -> "a weight";
            default -> r.toString();
        };
    }

    private Buffer access(String name, Expr index, Scope s) {
        Buffer b = buffers.get(name);
        ScalarType it = type(index, s);
        if (b == null) {
            problem("uses undeclared buffer %" + name);
            return null;
        }
        s.used.add(name);
        if (it != null && it != ScalarType.INDEX) problem("index into %" + name + " has type " + it + ", not index");
        if (it == ScalarType.INDEX) {
            long[] r = interval(index, s);
            boolean exact = definite && linearOnce(index, new HashSet<>(), s);
            boolean outside = r[1] < 0 || r[0] >= b.count();
            boolean partly = r[0] < 0 || r[1] >= b.count();
            if ((definite && outside && r[0] <= r[1]) || (exact && partly)) {
                problem("index " + LoopPrinter.print(index) + " of %" + name + " ranges over [" + r[0] + ", " + r[1]
                        + "], outside the buffer's " + b.count() + " elements");
            }
        }
        return b;
    }

    private static boolean hasLoad(Expr e) {
        return switch (e) {
            case Load l -> true;
            case Binary b -> hasLoad(b.a()) || hasLoad(b.b());
            case Select s -> hasLoad(s.cond()) || hasLoad(s.a()) || hasLoad(s.b());
            case Cast c -> hasLoad(c.value());
            case Call c -> hasLoad(c.arg());
            default -> false;
        };
    }

    /** True when e is a sum of constants and constant multiples of distinct loop variables with constant bounds: its interval is then exact. */
    private boolean linearOnce(Expr e, Set<String> seen, Scope s) {
        return switch (e) {
            case IntConst c -> true;
            case Var v -> s.loopVars.contains(v.name()) && seen.add(v.name()) && s.ranges.containsKey(v.name());
            case Binary b when b.op() == BinOp.ADD || b.op() == BinOp.SUB -> linearOnce(b.a(), seen, s) && linearOnce(b.b(), seen, s);
            case Binary b when b.op() == BinOp.MUL -> (b.a() instanceof IntConst && linearOnce(b.b(), seen, s))
                    || (b.b() instanceof IntConst && linearOnce(b.a(), seen, s));
            default -> false;
        };
    }

    private static final long[] ANY = {Long.MIN_VALUE, Long.MAX_VALUE};

    private static long sat(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return r;
    }

    private static boolean unbounded(long[] r) { return r[0] == Long.MIN_VALUE || r[1] == Long.MAX_VALUE; }

    /** A conservative range of an index expression. */
    private long[] interval(Expr e, Scope s) {
        switch (e) {
            case IntConst c -> { return new long[] {c.value(), c.value()}; }
            case Var v -> { return s.ranges.getOrDefault(v.name(), ANY); }
            case Binary b -> {
                long[] x = interval(b.a(), s), y = interval(b.b(), s);
                if (unbounded(x) || unbounded(y)) {
                    if (b.op() == BinOp.MIN && !unbounded(y)) return new long[] {Long.MIN_VALUE, Math.min(x[1], y[1])};
                    if (b.op() == BinOp.MIN && !unbounded(x)) return new long[] {Long.MIN_VALUE, Math.min(x[1], y[1])};
                    if (b.op() == BinOp.MAX && !unbounded(y)) return new long[] {Math.max(x[0], y[0]), Long.MAX_VALUE};
                    if (b.op() == BinOp.MAX && !unbounded(x)) return new long[] {Math.max(x[0], y[0]), Long.MAX_VALUE};
                    return ANY;
                }
                try {
                    return switch (b.op()) {
                        case ADD -> new long[] {Math.addExact(x[0], y[0]), Math.addExact(x[1], y[1])};
                        case SUB -> new long[] {Math.subtractExact(x[0], y[1]), Math.subtractExact(x[1], y[0])};
                        case MUL -> {
                            long a = Math.multiplyExact(x[0], y[0]), bb = Math.multiplyExact(x[0], y[1]);
                            long c = Math.multiplyExact(x[1], y[0]), d = Math.multiplyExact(x[1], y[1]);
                            yield new long[] {Math.min(Math.min(a, bb), Math.min(c, d)), Math.max(Math.max(a, bb), Math.max(c, d))};
                        }
                        case DIV -> {
                            if (y[0] <= 0) yield ANY;
                            long a = Math.floorDiv(x[0], y[0]), bb = Math.floorDiv(x[0], y[1]);
                            long c = Math.floorDiv(x[1], y[0]), d = Math.floorDiv(x[1], y[1]);
                            yield new long[] {Math.min(Math.min(a, bb), Math.min(c, d)), Math.max(Math.max(a, bb), Math.max(c, d))};
                        }
                        case REM -> y[0] > 0 ? new long[] {0, y[1] - 1} : ANY;
                        case MIN -> new long[] {Math.min(x[0], y[0]), Math.min(x[1], y[1])};
                        case MAX -> new long[] {Math.max(x[0], y[0]), Math.max(x[1], y[1])};
                        default -> ANY;
                    };
                } catch (ArithmeticException overflow) {
                    return ANY;
                }
            }
            case Select sel -> {
                long[] x = interval(sel.a(), s), y = interval(sel.b(), s);
                return new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])};
            }
            default -> { return ANY; }
        }
    }

    /** The type of e, or null after reporting a problem. */
    private ScalarType type(Expr e, Scope s) {
        switch (e) {
            case IntConst c -> { return ScalarType.INDEX; }
            case FloatConst f -> { return f.type(); }
            case Var v -> {
                ScalarType t = s.types.get(v.name());
                if (t == null) problem("uses undeclared $" + v.name());
                return t;
            }
            case Load l -> {
                Buffer b = access(l.buffer(), l.index(), s);
                return b == null ? null : b.type();
            }
            case Binary b -> {
                ScalarType x = type(b.a(), s), y = type(b.b(), s);
                if (x == null || y == null) return null;
                if (x != y) {
                    problem("'" + b.op().symbol + "' of " + x + " and " + y + " in " + LoopPrinter.print(e));
                    return null;
                }
                if (b.op().isLogical()) {
                    if (x != ScalarType.BOOL) problem("'" + b.op().symbol + "' needs bool operands, got " + x);
                    return ScalarType.BOOL;
                }
                if (!x.isNumeric()) {
                    problem("'" + b.op().symbol + "' needs numbers, got " + x);
                    return null;
                }
                if (b.op() == BinOp.REM && x != ScalarType.INDEX) problem("'%' is for index values, got " + x);
                return b.op().isComparison() ? ScalarType.BOOL : x;
            }
            case Select sel -> {
                ScalarType c = type(sel.cond(), s), x = type(sel.a(), s), y = type(sel.b(), s);
                if (c != null && c != ScalarType.BOOL) problem("select condition has type " + c + ", not bool");
                if (x == null || y == null) return null;
                if (x != y) {
                    problem("select of " + x + " and " + y);
                    return null;
                }
                return x;
            }
            case Cast c -> {
                ScalarType from = type(c.value(), s);
                if (!c.type().isNumeric()) problem("cannot convert to " + c.type() + " (compare instead)");
                return c.type().isNumeric() ? c.type() : null;
            }
            case Call c -> {
                ScalarType t = type(c.arg(), s);
                if (t == null) return null;
                boolean ok = c.fn() == Intrinsic.SQRT ? t.isFloat() : t == ScalarType.F32;
                if (!ok) {
                    problem(c.fn().text + " of " + t + " is not supported (" + (c.fn() == Intrinsic.SQRT ? "f32 or f64" : "f32") + " only)");
                    return null;
                }
                return t;
            }
        }
    }
}
