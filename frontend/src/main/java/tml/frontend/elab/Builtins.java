package tml.frontend.elab;

import static tml.frontend.elab.Builtin.opt;
import static tml.frontend.elab.Builtin.req;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import tml.frontend.elab.Value.*;
import tml.ir.graph.*;
import tml.ir.graph.Op.*;

/** The built-in layers and compile-time functions of TML (documented in docs/language.md). */
public final class Builtins {
    private Builtins() {}

    private static final Value NONE = Value.UNIT;

    public static final ImmutableMap<String, Builtin> ALL = build();

    private static ImmutableMap<String, Builtin> build() {
        List<Builtin> b = new ArrayList<>();
        // ---- layers with weights ----
        b.add(layer("conv2d", List.of(req("x"), req("out"), req("kernel"), opt("stride", new IntV(1)), opt("padding", NONE),
                opt("dilation", new IntV(1)), opt("groups", new IntV(1)), opt("bias", new BoolV(true))), a -> {
            Value.TensorV x = a.tensor("x");
            int out = a.positive("out");
            return conv(a, x, out, a.positive("groups"));
        }));
        b.add(layer("depthwise_conv2d", List.of(req("x"), req("kernel"), opt("stride", new IntV(1)), opt("padding", NONE),
                opt("dilation", new IntV(1)), opt("multiplier", new IntV(1)), opt("bias", new BoolV(true))), a -> {
            Value.TensorV x = a.tensor("x");
            requireRank(a, "x", x, 4, "[N,C,H,W]");
            int c = x.type().dim(1);
            return conv(a, x, Math.multiplyExact(c, a.positive("multiplier")), c);
        }));
        b.add(layer("batch_norm", List.of(req("x"), opt("eps", new FloatV(1e-5))), a -> {
            Value.TensorV x = a.tensor("x");
            if (x.type().rank() < 2) throw a.error("x", "batch_norm expects an input with a channel axis, got " + x.type());
            double eps = a.number("eps");
            if (!(eps > 0)) throw a.error("eps", "eps must be positive, got " + eps);
            TensorType c = TensorType.of(x.type().dtype(), List.of(x.type().dim(1)));
            return a.node(new BatchNorm(eps), List.of(x,
                    a.weight("weight", c, new ParamInit.Constant(1)), a.weight("bias", c, new ParamInit.Constant(0)),
                    a.buffer("running_mean", c, new ParamInit.Constant(0)), a.buffer("running_var", c, new ParamInit.Constant(1))));
        }));
        b.add(layer("linear", List.of(req("x"), req("out"), opt("bias", new BoolV(true))), a -> {
            Value.TensorV x = a.tensor("x");
            if (x.type().rank() < 1) throw a.error("x", "linear expects an input of rank at least 1, got " + x.type());
            int out = a.positive("out");
            int in = x.type().dim(-1);
            double bound = 1 / Math.sqrt(Math.max(1, in));
            List<Value.TensorV> ops = new ArrayList<>(List.of(x, a.weight("weight", TensorType.of(x.type().dtype(), List.of(out, in)), new ParamInit.Uniform(bound))));
            if (a.bool("bias")) ops.add(a.weight("bias", TensorType.of(x.type().dtype(), List.of(out)), new ParamInit.Uniform(bound)));
            return a.node(new Linear(), ops);
        }));
        // ---- layers without weights ----
        for (ActKind k : ActKind.values()) {
            b.add(layer(k.text, List.of(req("x")), a -> a.node(new Activation(k), List.of(a.tensor("x")))));
        }
        b.add(layer("dropout", List.of(req("x"), opt("p", new FloatV(0.5))), a -> {
            double p = a.number("p");
            if (p < 0 || p > 1) throw a.error("p", "dropout probability must be in [0, 1], got " + p);
            return a.node(new Dropout(p), List.of(a.tensor("x")));
        }));
        b.add(layer("max_pool2d", List.of(req("x"), req("kernel"), opt("stride", NONE), opt("padding", new IntV(0)), opt("ceil_mode", new BoolV(false))),
                a -> pool(a, PoolKind.MAX, false)));
        b.add(layer("avg_pool2d", List.of(req("x"), req("kernel"), opt("stride", NONE), opt("padding", new IntV(0)), opt("ceil_mode", new BoolV(false)),
                opt("count_include_pad", new BoolV(true))), a -> pool(a, PoolKind.AVG, a.bool("count_include_pad"))));
        b.add(layer("global_avg_pool", List.of(req("x")), a -> a.node(new GlobalAvgPool(), List.of(a.tensor("x")))));
        b.add(layer("flatten", List.of(req("x"), opt("start", new IntV(1))), a -> {
            Value.TensorV x = a.tensor("x");
            return a.node(new Flatten(axisArg(a, "start", Math.max(1, x.type().rank()))), List.of(x));
        }));
        b.add(layer("reshape", List.of(req("x"), req("shape")), a -> {
            Value.TensorV x = a.tensor("x");
            return a.node(new Reshape(reshapeTarget(a, x)), List.of(x));
        }));
        b.add(layer("softmax", List.of(req("x"), opt("axis", new IntV(-1))), a -> {
            Value.TensorV x = a.tensor("x");
            return a.node(new Softmax(axisArg(a, "axis", x.type().rank())), List.of(x));
        }));
        b.add(layer("concat", List.of(req("xs"), opt("axis", new IntV(1))), a -> {
            List<Value.TensorV> xs = new ArrayList<>();
            for (Value v : a.list("xs")) {
                if (!(v instanceof Value.TensorV t)) throw a.error("xs", "concat joins tensors, but the list holds " + Value.aTypeName(v));
                xs.add(t);
            }
            if (xs.isEmpty()) throw a.error("xs", "concat needs at least one tensor");
            int axis = axisArg(a, "axis", xs.get(0).type().rank());
            long joined = 0;
            for (Value.TensorV t : xs) joined += t.type().rank() > axis ? t.type().dim(axis) : 0;
            if (joined > Integer.MAX_VALUE) throw a.error("xs", "concat: the joined axis " + axis + " would have " + joined + " elements, more than " + Integer.MAX_VALUE);
            return a.node(new Concat(axis), xs);
        }));
        b.add(layer("channel_shuffle", List.of(req("x"), req("groups")), a -> a.node(new ChannelShuffle(a.positive("groups")), List.of(a.tensor("x")))));
        b.add(layer("pad", List.of(req("x"), req("pads"), opt("value", new FloatV(0))), a -> {
            Value.TensorV x = a.tensor("x");
            ImmutableList<Value> pads = a.list("pads");
            int rank = x.type().rank();
            if (pads.size() % 2 != 0 || pads.size() > 2 * rank) {
                throw a.error("pads", "pads must hold pairs (before, after) for at most " + rank + " axes, last axis first; got " + pads.size() + " values");
            }
            int[] irPads = new int[2 * rank];
            for (int i = 0; i < pads.size(); i++) {
                if (!(pads.get(i) instanceof IntV v) || Math.abs(v.v()) > Integer.MAX_VALUE) throw a.error("pads", "pads must be ints");
                int axis = rank - 1 - i / 2;
                irPads[2 * axis + (i % 2)] = (int) v.v();
            }
            ImmutableList.Builder<Integer> ir = ImmutableList.builder();
            for (int p : irPads) ir.add(p);
            return a.node(new Pad(ir.build(), a.number("value")), List.of(x));
        }));
        for (BinKind k : BinKind.values()) {
            b.add(layer(k.text, List.of(req("x"), req("y")), a -> a.node(new Binary(k), List.of(a.tensor("x"), a.tensor("y")))));
        }
        b.add(layer("matmul", List.of(req("x"), req("y")), a -> a.node(new MatMul(), List.of(a.tensor("x"), a.tensor("y")))));
        // ---- compile-time functions ----
        b.add(fn("len", List.of(req("xs")), a -> switch (a.get("xs")) {
            case StrV s -> new IntV(s.v().length());
            default -> new IntV(a.list("xs").size());
        }));
        b.add(variadic("min", a -> extreme(a, true)));
        b.add(variadic("max", a -> extreme(a, false)));
        b.add(fn("abs", List.of(req("x")), a -> a.get("x") instanceof IntV i ? new IntV(Math.absExact(i.v())) : new FloatV(Math.abs(a.number("x")))));
        b.add(fn("round", List.of(req("x")), a -> new IntV(toLong(a, "x", Math.rint(a.number("x"))))));
        b.add(fn("floor", List.of(req("x")), a -> new IntV(toLong(a, "x", Math.floor(a.number("x"))))));
        b.add(fn("ceil", List.of(req("x")), a -> new IntV(toLong(a, "x", Math.ceil(a.number("x"))))));
        b.add(fn("int", List.of(req("x")), a -> switch (a.get("x")) {
            case BoolV bv -> new IntV(bv.v() ? 1 : 0);
            case StrV s -> {
                try {
                    yield new IntV(Long.parseLong(s.v().trim()));
                } catch (NumberFormatException e) {
                    throw a.error("x", "cannot convert \"" + s.v() + "\" to an int");
                }
            }
            default -> new IntV(toLong(a, "x", a.number("x") < 0 ? Math.ceil(a.number("x")) : Math.floor(a.number("x"))));
        }));
        b.add(fn("float", List.of(req("x")), a -> new FloatV(a.number("x"))));
        b.add(fn("str", List.of(req("x")), a -> new StrV(a.get("x") instanceof StrV s ? s.v() : Value.show(a.get("x")))));
        b.add(fn("sqrt", List.of(req("x")), a -> {
            double x = a.number("x");
            if (x < 0) throw a.error("x", "sqrt of a negative number " + x);
            return new FloatV(Math.sqrt(x));
        }));
        b.add(fn("range", List.of(req("a"), opt("b", NONE), opt("step", new IntV(1))), a -> {
            long from = a.given("b") ? a.integer("a") : 0;
            long to = a.given("b") ? a.integer("b") : a.integer("a");
            long step = a.integer("step");
            if (step == 0) throw a.error("step", "range step must not be zero");
            return range(a.span(), from, to, step);
        }));
        b.add(fn("enumerate", List.of(req("xs")), a -> {
            ImmutableList<Value> xs = a.list("xs");
            ImmutableList.Builder<Value> out = ImmutableList.builder();
            for (int i = 0; i < xs.size(); i++) out.add(new TupleV(ImmutableList.of(new IntV(i), xs.get(i))));
            return new ListV(out.build());
        }));
        b.add(fn("zip", List.of(req("xs"), req("ys")), a -> {
            ImmutableList<Value> xs = a.list("xs"), ys = a.list("ys");
            ImmutableList.Builder<Value> out = ImmutableList.builder();
            for (int i = 0; i < Math.min(xs.size(), ys.size()); i++) out.add(new TupleV(ImmutableList.of(xs.get(i), ys.get(i))));
            return new ListV(out.build());
        }));
        b.add(fn("sum", List.of(req("xs")), a -> {
            boolean isFloat = false;
            long li = 0;
            double d = 0;
            for (Value v : a.list("xs")) {
                switch (v) {
                    case IntV i -> { li = Math.addExact(li, i.v()); d += i.v(); }
                    case FloatV f -> { isFloat = true; d += f.v(); }
                    default -> throw a.error("xs", "sum needs numbers, found " + Value.aTypeName(v));
                }
            }
            return isFloat ? new FloatV(d) : new IntV(li);
        }));
        ImmutableMap.Builder<String, Builtin> m = ImmutableMap.builder();
        for (Builtin x : b) m.put(x.name(), x);
        return m.buildOrThrow();
    }

    static final int MAX_RANGE = 10_000_000;

    static ListV range(tml.frontend.diag.Span span, long from, long to, long step) {
        long count = step > 0 ? Math.max(0, (to - from + step - 1) / step) : Math.max(0, (from - to - step - 1) / -step);
        if (count > MAX_RANGE) throw new EvalError(span, "range of " + count + " elements is too large (the limit is " + MAX_RANGE + ")");
        ImmutableList.Builder<Value> out = ImmutableList.builderWithExpectedSize((int) count);
        for (long i = 0, v = from; i < count; i++, v += step) out.add(new IntV(v));
        return new ListV(out.build());
    }

    private static Builtin layer(String name, List<Builtin.BParam> params, Builtin.Impl impl) {
        return new Builtin(name, true, ImmutableList.copyOf(params), false, impl);
    }

    private static Builtin fn(String name, List<Builtin.BParam> params, Builtin.Impl impl) {
        return new Builtin(name, false, ImmutableList.copyOf(params), false, impl);
    }

    private static Builtin variadic(String name, Builtin.Impl impl) {
        return new Builtin(name, false, ImmutableList.of(req("values")), true, impl);
    }

    private static long toLong(CallArgs a, String p, double v) {
        if (Double.isNaN(v) || Math.abs(v) > 9.0e18) throw a.error(p, "the number " + v + " does not fit in an int");
        return (long) v;
    }

    private static Value extreme(CallArgs a, boolean min) {
        ImmutableList<Value> xs = a.list("values");
        if (xs.size() == 1 && (xs.get(0) instanceof ListV || xs.get(0) instanceof TupleV)) {
            xs = xs.get(0) instanceof ListV l ? l.items() : ((TupleV) xs.get(0)).items();
        }
        if (xs.isEmpty()) throw a.error("values", (min ? "min" : "max") + " of nothing");
        Value best = null;
        for (Value v : xs) {
            if (!(v instanceof IntV || v instanceof FloatV)) throw a.error("values", (min ? "min" : "max") + " needs numbers, found " + Value.aTypeName(v));
            if (best == null || (min ? num(v) < num(best) : num(v) > num(best))) best = v;
        }
        return best;
    }

    static double num(Value v) {
        return v instanceof IntV i ? i.v() : ((FloatV) v).v();
    }

    private static void requireRank(CallArgs a, String p, Value.TensorV x, int rank, String layout) {
        if (x.type().rank() != rank) throw a.error(p, "expected a rank-" + rank + " tensor " + layout + ", got " + x.type());
    }

    private static int axisArg(CallArgs a, String p, int rank) {
        long axis = a.integer(p);
        long norm = axis < 0 ? axis + rank : axis;
        if (norm < 0 || norm >= rank) throw a.error(p, "axis " + axis + " is out of range for a rank-" + rank + " tensor");
        return (int) norm;
    }

    private static Value conv(CallArgs a, Value.TensorV x, int out, int groups) {
        requireRank(a, "x", x, 4, "[N,C,H,W]");
        Hw kernel = a.hw("kernel");
        Hw stride = a.hw("stride");
        Hw dilation = a.hw("dilation");
        Pads pads = a.given("padding") && !(a.get("padding") instanceof UnitV) ? a.pads("padding")
                : Pads.symmetric(Math.multiplyExact(dilation.h(), kernel.h() - 1) / 2, Math.multiplyExact(dilation.w(), kernel.w() - 1) / 2);
        int cin = x.type().dim(1);
        if (cin % groups != 0) {
            throw a.error(a.given("groups") ? "groups" : "x", "conv2d: " + cin + " input channels are not divisible by groups=" + groups);
        }
        if (out % groups != 0) {
            throw a.error(a.given("groups") ? "groups" : "out", "conv2d: " + out + " output channels are not divisible by groups=" + groups);
        }
        // the shape rule speaks of the kernel only; with dilation say how far the kernel reaches
        long reachH = (long) dilation.h() * (kernel.h() - 1) + 1, reachW = (long) dilation.w() * (kernel.w() - 1) + 1;
        if ((dilation.h() > 1 || dilation.w() > 1) && (reachH > (long) x.type().dim(2) + pads.top() + pads.bottom()
                || reachW > (long) x.type().dim(3) + pads.left() + pads.right())) {
            throw new EvalError(a.span(), "conv2d: a " + kernel.h() + "x" + kernel.w() + " kernel with dilation " + dilation + " spans "
                    + reachH + "x" + reachW + ", which does not fit the " + x.type().dim(2) + "x" + x.type().dim(3) + " input with padding " + pads);
        }
        long fanIn = (long) (cin / groups) * kernel.h() * kernel.w();
        double bound = 1 / Math.sqrt(Math.max(1, fanIn));
        TensorType wt = TensorType.of(x.type().dtype(), List.of(out, cin / groups, kernel.h(), kernel.w()));
        List<Value.TensorV> ops = new ArrayList<>(List.of(x, a.weight("weight", wt, new ParamInit.Uniform(bound))));
        if (a.bool("bias")) ops.add(a.weight("bias", TensorType.of(x.type().dtype(), List.of(out)), new ParamInit.Uniform(bound)));
        return a.node(new Conv2d(stride, pads, dilation, groups), ops);
    }

    private static Value pool(CallArgs a, PoolKind kind, boolean countIncludePad) {
        Value.TensorV x = a.tensor("x");
        Hw kernel = a.hw("kernel");
        Hw stride = a.given("stride") && !(a.get("stride") instanceof UnitV) ? a.hw("stride") : kernel;
        return a.node(new Pool2d(kind, kernel, stride, a.pads("padding"), a.bool("ceil_mode"), countIncludePad), List.of(x));
    }

    private static ImmutableList<Integer> reshapeTarget(CallArgs a, Value.TensorV x) {
        ImmutableList<Value> dims = a.list("shape");
        List<Integer> shape = new ArrayList<>();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.size(); i++) {
            if (!(dims.get(i) instanceof IntV d)) throw a.error("shape", "reshape needs a list of ints");
            if (d.v() == -1) {
                if (inferred >= 0) throw a.error("shape", "at most one dimension of a reshape may be -1");
                inferred = i;
                shape.add(1);
            } else if (d.v() <= 0 || d.v() > Integer.MAX_VALUE) {
                throw a.error("shape", "reshape dimensions must be positive (or -1), got " + d.v());
            } else {
                shape.add((int) d.v());
                known = Math.multiplyExact(known, d.v());
            }
        }
        if (inferred >= 0) {
            if (x.type().numel() % known != 0) {
                throw a.error("shape", "cannot reshape " + x.type() + " (" + x.type().numel() + " elements) to " + Value.show(a.get("shape")));
            }
            shape.set(inferred, Math.toIntExact(x.type().numel() / known));
        }
        return ImmutableList.copyOf(shape);
    }
}
