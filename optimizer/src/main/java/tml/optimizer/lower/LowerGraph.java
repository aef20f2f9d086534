package tml.optimizer.lower;

import static tml.ir.loop.Exprs.*;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tml.ir.graph.DType;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.Op.*;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.ir.graph.ShapeRules;
import tml.ir.graph.TensorType;
import tml.ir.loop.Annotation;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr;
import tml.ir.loop.Expr.Intrinsic;
import tml.ir.loop.Kernel;
import tml.ir.loop.Program;
import tml.ir.loop.ScalarType;
import tml.ir.loop.Stmt;
import tml.ir.loop.Stmt.Block;
import tml.ir.loop.WeightTransform;

/**
 * Lowers a graph to the loop IR: one buffer per value (inputs and outputs are the caller's arrays,
 * parameters slices of the weights blob, the rest unplanned arena buffers; reshape, flatten and
 * dropout are views), and one kernel per node in graph order, plus copies for outputs that name an
 * input, a parameter or a value already bound to another output.
 *
 * <p>Kernels follow the reference interpreter's arithmetic: each output element of conv2d, matmul
 * and pooling is accumulated in f32 in the interpreter's order. Schedules are explicit: data-parallel
 * innermost loops over contiguous output elements are annotated {@code vectorize(width)}; with 8 or
 * more lanes convolutions are register-tiled ({@link TiledConv}) and linear layers split their
 * reduction across lanes ({@link #splitLinear}, the one reordered reduction); other reductions are
 * never reordered.
 */
public final class LowerGraph {
    /**
     * @param vectorWidth the f32 lanes of the target's vectors (8 for AVX2, 16 for AVX-512, 4 for NEON/Helium); 1 disables vectorize annotations
     * @param hardwareF64 whether the target has double-precision floating point in hardware; without it
     *     (Cortex-M4, M33) batch norm and the softmax sum are computed in f32 instead of f64, so the
     *     code needs no soft-float routines (results then differ from the interpreter by f32 rounding)
     * @param winograd whether dense 3x3 stride-1 convolutions may run as Winograd F(2x2, 3x3)
     *     ({@link WinogradConv}; only with 8 or more lanes)
     */
    public record Options(int vectorWidth, boolean hardwareF64, boolean winograd) {
        public static final Options DEFAULT = new Options(8);

        public Options(int vectorWidth) { this(vectorWidth, true, true); }

        public Options(int vectorWidth, boolean hardwareF64) { this(vectorWidth, hardwareF64, true); }

        public Options withWinograd(boolean on) { return new Options(vectorWidth, hardwareF64, on); }

        /** The type of the wide intermediate values: f64, or f32 without hardware doubles. */
        ScalarType wide() { return hardwareF64 ? ScalarType.F64 : ScalarType.F32; }
    }

    /** Alignment of every weight slice in the weights blob, in bytes. */
    public static final int WEIGHT_ALIGN = 16;

    private final Graph g;
    private final Options options;
    private final Map<String, TensorType> types;
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final List<Kernel> kernels = new ArrayList<>();
    private final Set<String> kernelNames = new HashSet<>();
    /** Parameter name to its Winograd-packed weight buffer. */
    private final Map<String, String> winogradWeights = new HashMap<>();

    private LowerGraph(Graph g, Options options) {
        this.g = g;
        this.options = options;
        this.types = g.types();
    }

    public static Program lower(Graph g) { return lower(g, Options.DEFAULT); }

    public static Program lower(Graph g, Options options) {
        return new LowerGraph(g, options).run();
    }

    private Program run() {
        for (var e : types.entrySet()) {
            if (e.getValue().dtype() != DType.F32) {
                throw new LoweringException("network " + g.name() + ": '" + e.getKey() + "' has element type " + e.getValue().dtype()
                        + "; compiled targets support f32 only for now");
            }
        }
        for (Node n : g.nodes()) kernelNames.add(n.name());
        // inputs
        for (int i = 0; i < g.inputs().size(); i++) {
            Input in = g.inputs().get(i);
            buffers.put(in.name(), new Buffer(in.name(), ScalarType.F32, in.type().numel(), new Role.Input(i)));
        }
        // weights: the parameters that nodes use, in declaration order, each as it is and/or packed
        // for the Winograd convolutions that read it
        Set<String> used = new HashSet<>(), packed = new HashSet<>();
        for (Node n : g.nodes()) {
            for (int k = 0; k < n.operands().size(); k++) (k == 1 && winograd(n) ? packed : used).add(n.operands().get(k));
        }
        for (Output o : g.outputs()) used.add(o.value());
        long offset = 0;
        for (Param p : g.params()) {
            if (used.contains(p.name())) {
                buffers.put(p.name(), new Buffer(p.name(), ScalarType.F32, p.type().numel(), new Role.Weight(offset)));
                offset += align(p.type().numel() * 4, WEIGHT_ALIGN);
            }
            if (packed.contains(p.name())) {
                Set<String> taken = new HashSet<>(types.keySet());
                taken.addAll(buffers.keySet());
                String name = unique(p.name() + ".winograd", taken);
                long count = WeightTransform.WINOGRAD_F2X3.count(p.type().numel());
                buffers.put(name, new Buffer(name, ScalarType.F32, count,
                        new Role.Weight(offset, java.util.Optional.of(new Buffer.Packed(WeightTransform.WINOGRAD_F2X3, p.name())))));
                winogradWeights.put(p.name(), name);
                offset += align(count * 4, WEIGHT_ALIGN);
            }
        }
        long weightBytes = offset;
        // outputs: the first output naming a node's value takes that value's buffer
        Map<String, Integer> outputOf = new HashMap<>();
        List<Integer> copies = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            Output o = g.outputs().get(i);
            boolean isNode = g.node(o.value()).isPresent();
            if (isNode && !outputOf.containsKey(o.value())) outputOf.put(o.value(), i);
            else copies.add(i);
        }
        for (Node n : g.nodes()) {
            Integer out = outputOf.get(n.name());
            Role role = out != null ? new Role.Output(out)
                    : isView(n.op()) ? new Role.View(n.operands().get(0))
                    : new Role.Arena(Role.UNPLANNED);
            buffers.put(n.name(), new Buffer(n.name(), ScalarType.F32, n.type().numel(), role));
        }
        for (Node n : g.nodes()) {
            if (buffers.get(n.name()).role() instanceof Role.View) continue;
            lowerNode(n);
        }
        for (int i : copies) {
            Output o = g.outputs().get(i);
            String name = unique(o.name(), new HashSet<>(buffers.keySet()));
            buffers.put(name, new Buffer(name, ScalarType.F32, types.get(o.value()).numel(), new Role.Output(i)));
            kernels.add(new Kernel(unique("copy." + o.name(), kernelNames), copy(o.value(), name, types.get(o.value()).numel())));
        }
        return new Program(g.name(), 0, weightBytes, ImmutableList.copyOf(buffers.values()), ImmutableList.copyOf(kernels));
    }

    /** Whether node n is a conv2d lowered as Winograd F(2x2, 3x3). */
    private boolean winograd(Node n) {
        return options.winograd() && n.op() instanceof Conv2d c && n.operands().size() >= 2
                && g.params().stream().anyMatch(p -> p.name().equals(n.operands().get(1)))
                && WinogradConv.applies(c, types.get(n.operands().get(0)), types.get(n.operands().get(1)), n.type(), options.vectorWidth());
    }

    private static boolean isView(Op op) {
        return op instanceof Reshape || op instanceof Flatten || op instanceof Dropout;
    }

    private static long align(long v, long a) { return (v + a - 1) / a * a; }

    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) name = base + "." + k;
        taken.add(name);
        return name;
    }

    private void kernel(Node n, Block body, String... inPlace) {
        kernels.add(new Kernel(n.name(), ImmutableList.copyOf(inPlace), body));
    }

    // ---------------- helpers ----------------

    private Annotation vec(long trip) {
        return options.vectorWidth() > 1 && trip >= options.vectorWidth() ? new Annotation.Vectorize(options.vectorWidth()) : Annotation.SERIAL;
    }

    private static List<Long> dims(TensorType t) {
        List<Long> d = new ArrayList<>();
        for (int x : t.shape()) d.add((long) x);
        return d;
    }

    /**
     * A loop nest over {@code extents} (outermost first), the innermost vectorized; an extent of 1
     * gets no loop (its index is 0).
     */
    private Stmt nest(List<String> names, List<Long> extents, boolean vectorizeInner, Function<List<Expr>, Stmt> body) {
        List<Expr> idx = new ArrayList<>();
        for (int k = 0; k < extents.size(); k++) idx.add(extents.get(k) == 1 ? i(0) : v(names.get(k)));
        Stmt s = body.apply(idx);
        for (int k = extents.size() - 1; k >= 0; k--) {
            if (extents.get(k) == 1) continue;
            boolean inner = k == extents.size() - 1;
            s = loop(names.get(k), 0, extents.get(k), inner && vectorizeInner ? vec(extents.get(k)) : Annotation.SERIAL, s);
        }
        return s;
    }

    private Block copy(String from, String to, long count) {
        return block(nest(List.of("i"), List.of(count), true, ix -> store(to, ix.get(0), load(from, ix.get(0)))));
    }

    /** A flat elementwise map over all elements: y[i] = f(x[i]). */
    private Block map(String x, String y, long count, Function<Expr, Expr> f) {
        return block(nest(List.of("i"), List.of(count), true, ix -> block(
                local("v", ScalarType.F32, load(x, ix.get(0))),
                store(y, ix.get(0), f.apply(v("v"))))));
    }

    // ---------------- ops ----------------

    private void lowerNode(Node n) {
        String y = n.name();
        List<String> in = n.operands();
        TensorType out = n.type();
        switch (n.op()) {
            case Conv2d c when winograd(n) -> {
                long[] zs = c.fusion().extraOperands() > 0 ? broadcastStrides(types.get(in.get(in.size() - 1)), out) : null;
                WinogradConv.Result r = WinogradConv.of(c, in, y, winogradWeights.get(in.get(1)), types.get(in.get(0)), types.get(in.get(1)), out,
                        zs, options.vectorWidth(), base -> unique(base, new HashSet<>(buffers.keySet())));
                for (Buffer b : r.scratch()) buffers.put(b.name(), b);
                kernel(n, r.body());
            }
            case Conv2d c -> kernel(n, conv2d(c, in, y, types.get(in.get(0)), types.get(in.get(1)), out));
            case BatchNorm b -> kernel(n, batchNorm(b, in, y, out), in.get(0));
            case Activation a -> kernel(n, map(in.get(0), y, out.numel(), x -> activation(a.kind(), x)), in.get(0));
            case Binary b -> binary(n, b.kind());
            case BinaryScalar b -> {
                Expr s = f32(b.scalar());
                kernel(n, map(in.get(0), y, out.numel(), x -> b.scalarLeft() ? arith(b.kind(), s, x) : arith(b.kind(), x, s)), in.get(0));
            }
            case Concat c -> kernel(n, concat(c, in, y, out));
            case ChannelShuffle s -> kernel(n, channelShuffle(s, in.get(0), y, out));
            case Pool2d p -> kernel(n, pool(p, in.get(0), y, types.get(in.get(0)), out));
            case GlobalAvgPool gap -> kernel(n, globalAvgPool(in.get(0), y, types.get(in.get(0))));
            case Linear l -> kernel(n, linear(l, in, y, types.get(in.get(0)), types.get(in.get(1)), out));
            case MatMul m -> kernel(n, matmul(in, y, types.get(in.get(0)), types.get(in.get(1)), out));
            case Softmax s -> kernel(n, softmax(s, in.get(0), y, out), in.get(0));
            case Reshape r -> kernel(n, copy(in.get(0), y, out.numel()));
            case Flatten f -> kernel(n, copy(in.get(0), y, out.numel()));
            case Dropout d -> kernel(n, copy(in.get(0), y, out.numel()));
            case Pad p -> kernel(n, pad(p, in.get(0), y, types.get(in.get(0)), out));
            case Quantum q -> throw new LoweringException("node '" + n.name() + "': quantum layers run only in the interpreter (tmlc run --target interp)");
        }
    }

    private static Expr arith(BinKind k, Expr a, Expr b) {
        return switch (k) {
            case ADD -> fadd(a, b);
            case SUB -> fsub(a, b);
            case MUL -> fmul(a, b);
            case DIV -> fdiv(a, b);
        };
    }

    /**
     * The fused elementwise work of a conv2d or linear on its biased sum: {@code y OP z} (z the last
     * operand, at {@code zAt}) or {@code y OP scalar}, then the activation, each step in f32 as the
     * separate ops round.
     */
    static Stmt finish(Fusion f, Expr y, List<String> in, Expr zAt, String out, Expr at) {
        Expr v = switch (f.epilogue().orElse(null)) {
            case null -> y;
            case Epilogue.WithOperand e -> arith(e.kind(), y, load(in.get(in.size() - 1), zAt));
            case Epilogue.WithScalar e -> arith(e.kind(), y, f32(e.scalar()));
        };
        if (f.activation().isEmpty()) return store(out, at, v);
        return block(local("v", ScalarType.F32, v), store(out, at, activation(f.activation().get(), v("v"))));
    }

    private static Expr relu6(Expr x) {
        return select(lt(x, f32(0)), f32(0), select(gt(x, f32(6)), f32(6), x));
    }

    private static Expr sigmoid(Expr x) {
        return fdiv(f32(1), fadd(f32(1), call(Intrinsic.EXP, fsub(f32(0), x))));
    }

    /** One activation as the interpreter computes it (NaN propagates through relu and relu6). */
    static Expr activation(ActKind kind, Expr x) {
        return switch (kind) {
            case RELU -> select(lt(x, f32(0)), f32(0), x);
            case RELU6 -> relu6(x);
            case HARDSWISH -> fdiv(fmul(x, relu6(fadd(x, f32(3)))), f32(6));
            case HARDSIGMOID -> fdiv(relu6(fadd(x, f32(3))), f32(6));
            case SIGMOID -> sigmoid(x);
            case SILU -> fmul(x, sigmoid(x));
            case TANH -> call(Intrinsic.TANH, x);
        };
    }

    private Block conv2d(Conv2d c, List<String> in, String y, TensorType xt, TensorType wt, TensorType yt) {
        String x = in.get(0), w = in.get(1);
        long n = xt.dim(0), cin = xt.dim(1), h = xt.dim(2), wd = xt.dim(3);
        long cout = wt.dim(0), kh = wt.dim(2), kw = wt.dim(3), oh = yt.dim(2), ow = yt.dim(3);
        long sh = c.stride().h(), sw = c.stride().w(), dh = c.dilation().h(), dw = c.dilation().w();
        long pt = c.padding().top(), pl = c.padding().left();
        long cg = cin / c.groups(), coutPerGroup = cout / c.groups();
        long[] epilogueStrides = c.fusion().extraOperands() > 0 ? broadcastStrides(types.get(in.get(in.size() - 1)), yt) : null;
        TiledConv.Result tiled = TiledConv.of(c, in, y, xt, wt, yt, epilogueStrides, options.vectorWidth(),
                base -> unique(base, new HashSet<>(buffers.keySet())));
        if (tiled != null) {
            for (Buffer b : tiled.scratch()) buffers.put(b.name(), b);
            return tiled.body();
        }
        if (kh == 1 && kw == 1 && sh == 1 && sw == 1 && c.padding().equals(tml.ir.graph.Pads.NONE) && c.groups() == 1 && options.vectorWidth() > 1) {
            return pointwise(c, in, y, n, cin, cout, (long) h * wd, yt);
        }
        Expr vn = n == 1 ? i(0) : v("n"), oc = v("oc"), oy = v("oy");
        Expr group = c.groups() == 1 ? i(0) : div(oc, coutPerGroup);
        Fusion fusion = c.fusion();
        boolean bias = in.size() - fusion.extraOperands() > 2;
        long[] zs = fusion.extraOperands() > 0 ? broadcastStrides(types.get(in.get(in.size() - 1)), yt) : null;
        // the taps ky of row oy that fall inside the input (rows oy*sh + ky*dh - pt in [0, h))
        Expr kyLo = max(i(0), ceilDiv(sub(i(pt), mul(oy, sh)), dh));
        Expr kyHi = min(i(kh), add(div(sub(i(h - 1 + pt), mul(oy, sh)), dh), 1));
        // columns ox whose every tap kx is inside the input: [xIn, xOut); the others clamp their taps
        long xIn = Math.min(ow, Math.max(0, Math.ceilDiv(pl, sw)));
        long xOut = Math.max(xIn, Math.min(ow, Math.floorDiv(wd - 1 + pl - (kw - 1) * dw, sw) + 1));
        // output channels computed together (each input load shared by `block` accumulators)
        int block = c.groups() == 1 && cout % POINTWISE_BLOCK == 0 ? POINTWISE_BLOCK : 1;
        Function<Integer, Expr> ocOf = j -> block == 1 ? oc : add(mul(v("ob"), block), j);
        Function<Expr[], List<Stmt>> element = kxRange -> {
            boolean kxLoop = kw > 1 || !kxRange[0].equals(i(0)) || !kxRange[1].equals(i(kw));
            Expr ox = v("ox"), ic = cg == 1 ? i(0) : v("ic"), ky = v("ky"), kx = kxLoop ? v("kx") : i(0);
            Expr ocGroup = block == 1 ? group : i(0);
            Expr xIdx = flat(List.of(vn, add(mul(ocGroup, cg), ic), add(mul(oy, sh), sub(mul(ky, dh), i(pt))),
                    add(mul(ox, sw), sub(mul(kx, dw), i(pl)))), List.of(n, cin, h, wd));
            List<Stmt> taps = new ArrayList<>();
            if (block > 1) taps.add(local("x", ScalarType.F32, load(x, xIdx)));
            for (int j = 0; j < block; j++) {
                Expr wIdx = flat(List.of(ocOf.apply(j), ic, ky, kx), List.of(cout, cg, kh, kw));
                taps.add(assign("acc" + j, fadd(v("acc" + j), fmul(load(w, wIdx), block > 1 ? v("x") : load(x, xIdx)))));
            }
            Stmt tap = block(taps);
            if (kxLoop) tap = loop("kx", kxRange[0], kxRange[1], Annotation.SERIAL, tap);
            tap = loop("ky", kyLo, kyHi, Annotation.SERIAL, tap);
            if (cg > 1) tap = loop("ic", 0, cg, Annotation.SERIAL, tap);
            List<Stmt> out = new ArrayList<>();
            for (int j = 0; j < block; j++) out.add(local("acc" + j, ScalarType.F32, f32(0)));
            out.add(tap);
            for (int j = 0; j < block; j++) {
                Expr ocj = ocOf.apply(j);
                Expr at = flat(List.of(vn, ocj, oy, ox), List.of(n, cout, oh, ow));
                Expr value = bias ? fadd(v("acc" + j), load(in.get(2), ocj)) : v("acc" + j);
                Expr zAt = zs == null ? null : add(add(add(mul(vn, zs[0]), mul(ocj, zs[1])), mul(oy, zs[2])), mul(ox, zs[3]));
                Stmt fin = finish(fusion, value, in, zAt, y, at);
                out.add(fin instanceof Block b ? renameLocal(b, "v", "v" + j) : fin);
            }
            return out;
        };
        // border columns: only the taps inside the input
        Expr[] clamped = {max(i(0), ceilDiv(sub(i(pl), mul(v("ox"), sw)), dw)), min(i(kw), add(div(sub(i(wd - 1 + pl), mul(v("ox"), sw)), dw), 1))};
        List<Stmt> perRow = new ArrayList<>();
        if (xIn > 0) perRow.add(loop("ox", 0, xIn, Annotation.SERIAL, element.apply(clamped).toArray(new Stmt[0])));
        if (xOut > xIn) perRow.add(loop("ox", xIn, xOut, vec(xOut - xIn), element.apply(new Expr[] {i(0), i(kw)}).toArray(new Stmt[0])));
        if (ow > xOut) perRow.add(loop("ox", xOut, ow, Annotation.SERIAL, element.apply(clamped).toArray(new Stmt[0])));
        List<Stmt> perChannel = List.of(loop("oy", 0, oh, Annotation.SERIAL, perRow.toArray(new Stmt[0])));
        Stmt s = block == 1 ? loop("oc", 0, cout, Annotation.SERIAL, perChannel.toArray(new Stmt[0]))
                : loop("ob", 0, cout / block, Annotation.SERIAL, perChannel.toArray(new Stmt[0]));
        if (n > 1) s = loop("n", n, s);
        return block(s);
    }

    /** Output channels computed together by a pointwise convolution: they share each input load. */
    static final int POINTWISE_BLOCK = 4;

    /**
     * A 1x1 convolution (a matrix product of [cout, cin] weights and [cin, h*w] pixels), scheduled
     * for registers: each vector of pixels ({@code vectorize} on the pixel loop, which holds the
     * reduction loop: outer-loop vectorization) accumulates {@link #POINTWISE_BLOCK} output channels
     * in locals over all input channels, in order, then adds the bias and the fused epilogue.
     */
    private Block pointwise(Conv2d c, List<String> in, String y, long n, long cin, long cout, long pixels, TensorType yt) {
        String x = in.get(0), w = in.get(1);
        int block = cout % POINTWISE_BLOCK == 0 ? POINTWISE_BLOCK : cout % 2 == 0 ? 2 : 1;
        Fusion fusion = c.fusion();
        boolean bias = in.size() - fusion.extraOperands() > 2;
        long[] zs = fusion.extraOperands() > 0 ? broadcastStrides(types.get(in.get(in.size() - 1)), yt) : null;
        Expr vn = n == 1 ? i(0) : v("n"), p = v("p");
        List<Stmt> body = new ArrayList<>();
        for (int j = 0; j < block; j++) body.add(local("acc" + j, ScalarType.F32, f32(0)));
        List<Stmt> reduce = new ArrayList<>();
        reduce.add(local("x", ScalarType.F32, load(x, add(mul(add(mul(vn, cin), v("ic")), pixels), p))));
        for (int j = 0; j < block; j++) {
            Expr oc = add(mul(v("ob"), block), j);
            reduce.add(assign("acc" + j, fadd(v("acc" + j), fmul(load(w, add(mul(oc, cin), v("ic"))), v("x")))));
        }
        body.add(loop("ic", 0, cin, Annotation.SERIAL, reduce.toArray(new Stmt[0])));
        for (int j = 0; j < block; j++) {
            Expr oc = add(mul(v("ob"), block), j);
            Expr at = add(mul(add(mul(vn, cout), oc), pixels), p);
            Expr value = bias ? fadd(v("acc" + j), load(in.get(2), oc)) : v("acc" + j);
            Expr zAt = null;
            if (zs != null) {
                // pixel p of a [n, c, h, w] output is (p / w, p % w); z is broadcast over any of these axes
                long ow = yt.dim(3);
                zAt = add(add(add(mul(vn, zs[0]), mul(oc, zs[1])), mul(div(p, ow), zs[2])), mul(rem(p, ow), zs[3]));
            }
            Stmt fin = finish(fusion, value, in, zAt, y, at);
            body.add(fin instanceof Block b ? renameLocal(b, "v", "v" + j) : fin);
        }
        Stmt s = loop("ob", 0, cout / block, Annotation.SERIAL, loop("p", 0, pixels, vec(pixels), body.toArray(new Stmt[0])));
        if (n > 1) s = loop("n", n, s);
        return block(s);
    }

    /** {@link #finish} declares $v; several in one block need distinct names. */
    static Block renameLocal(Block b, String from, String to) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : b.stmts()) {
            out.add(switch (s) {
                case Stmt.Local l when l.name().equals(from) -> local(to, l.type(), l.init());
                case Stmt.Store st -> store(st.buffer(), st.index(), rename(st.value(), from, to));
                default -> s;
            });
        }
        return block(out);
    }

    private static Expr rename(Expr e, String from, String to) {
        return switch (e) {
            case Expr.Var v when v.name().equals(from) -> v(to);
            case Expr.Binary b -> new Expr.Binary(b.op(), rename(b.a(), from, to), rename(b.b(), from, to));
            case Expr.Select s -> new Expr.Select(rename(s.cond(), from, to), rename(s.a(), from, to), rename(s.b(), from, to));
            case Expr.Cast c -> new Expr.Cast(c.type(), rename(c.value(), from, to));
            case Expr.Call c -> new Expr.Call(c.fn(), rename(c.arg(), from, to));
            case Expr.Load l -> new Expr.Load(l.buffer(), rename(l.index(), from, to));
            default -> e;
        };
    }

    /** An f32 value as the wide type of {@link Options#wide()} (unchanged without hardware f64). */
    private Expr widen(Expr e) { return options.hardwareF64() ? cast(ScalarType.F64, e) : e; }

    /** A wide value rounded back to f32. */
    private Expr narrow(Expr e) { return options.hardwareF64() ? cast(ScalarType.F32, e) : e; }

    private Block batchNorm(BatchNorm b, List<String> in, String y, TensorType t) {
        String x = in.get(0);
        long n = t.dim(0), c = t.dim(1), inner = 1;
        for (int k = 2; k < t.rank(); k++) inner *= t.dim(k);
        long innerF = inner;
        Expr ch = v("c");
        List<Stmt> body = new ArrayList<>();
        ScalarType w = options.wide();
        body.add(local("mean", w, widen(load(in.get(3), ch))));
        body.add(local("sd", w, call(Intrinsic.SQRT, fadd(widen(load(in.get(4), ch)), w == ScalarType.F64 ? f64(b.eps()) : f32(b.eps())))));
        body.add(local("scale", w, widen(load(in.get(1), ch))));
        body.add(local("shift", w, widen(load(in.get(2), ch))));
        body.add(nest(List.of("n", "j"), List.of(n, innerF), true, ix -> {
            Expr at = flat(List.of(ix.get(0), ch, ix.get(1)), List.of(n, c, innerF));
            Expr xv = widen(load(x, at));
            return store(y, at, narrow(fadd(fmul(fdiv(fsub(xv, v("mean")), v("sd")), v("scale")), v("shift"))));
        }));
        return block(loop("c", 0, c, Annotation.SERIAL, body.toArray(new Stmt[0])));
    }

    /** Row-major element strides of {@code operand} inside the broadcast result {@code out}: 0 on broadcast axes. */
    private static long[] broadcastStrides(TensorType operand, TensorType out) {
        int r = out.rank();
        long[] s = new long[r];
        long stride = 1;
        for (int k = r - 1; k >= 0; k--) {
            int j = k - (r - operand.rank());
            long d = j < 0 ? 1 : operand.dim(j);
            s[k] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return s;
    }

    private void binary(Node node, BinKind kind) {
        String a = node.operands().get(0), b = node.operands().get(1), y = node.name();
        TensorType at = types.get(a), bt = types.get(b), out = node.type();
        int r = out.rank();
        long[] sa = broadcastStrides(at, out), sb = broadcastStrides(bt, out);
        // merge adjacent axes along which both operands are contiguous (or both broadcast)
        List<long[]> axes = new ArrayList<>(); // {extent, strideA, strideB}
        for (int k = 0; k < r; k++) {
            long d = out.dim(k);
            if (d == 1) continue;
            if (!axes.isEmpty()) {
                long[] last = axes.get(axes.size() - 1);
                if (last[1] == sa[k] * d && last[2] == sb[k] * d) {
                    last[0] *= d;
                    last[1] = sa[k];
                    last[2] = sb[k];
                    continue;
                }
            }
            axes.add(new long[] {d, sa[k], sb[k]});
        }
        List<String> names = new ArrayList<>();
        List<Long> extents = new ArrayList<>();
        for (int k = 0; k < axes.size(); k++) {
            names.add("i" + k);
            extents.add(axes.get(k)[0]);
        }
        Block body = block(nest(names, extents, true, ix -> {
            Expr ia = i(0), ib = i(0), iy = i(0);
            long strideY = 1;
            for (int k = axes.size() - 1; k >= 0; k--) {
                ia = add(mul(ix.get(k), axes.get(k)[1]), ia);
                ib = add(mul(ix.get(k), axes.get(k)[2]), ib);
                iy = add(mul(ix.get(k), strideY), iy);
                strideY *= axes.get(k)[0];
            }
            return store(y, iy, arith(kind, load(a, ia), load(b, ib)));
        }));
        List<String> inPlace = new ArrayList<>();
        if (at.numel() == out.numel()) inPlace.add(a);
        if (bt.numel() == out.numel() && !b.equals(a)) inPlace.add(b);
        kernel(node, body, inPlace.toArray(new String[0]));
    }

    private Block concat(Concat c, List<String> in, String y, TensorType out) {
        int ax = c.axis() < 0 ? c.axis() + out.rank() : c.axis();
        long outer = 1, inner = 1;
        for (int k = 0; k < ax; k++) outer *= out.dim(k);
        for (int k = ax + 1; k < out.rank(); k++) inner *= out.dim(k);
        long total = out.dim(ax);
        List<Stmt> parts = new ArrayList<>();
        long at = 0;
        for (String t : in) {
            long a = types.get(t).dim(ax);
            long offset = at * inner, block = a * inner, totalBlock = total * inner;
            parts.add(nest(List.of("o", "j"), List.of(outer, block), true,
                    ix -> store(y, add(add(mul(ix.get(0), totalBlock), offset), ix.get(1)), load(t, add(mul(ix.get(0), block), ix.get(1))))));
            at += a;
        }
        return block(parts);
    }

    private Block channelShuffle(ChannelShuffle s, String x, String y, TensorType t) {
        long n = t.dim(0), c = t.dim(1), plane = (long) t.dim(2) * t.dim(3), g = s.groups(), per = c / g;
        return block(nest(List.of("n", "g", "j", "p"), List.of(n, g, per, plane), true, ix -> store(y,
                flat(List.of(ix.get(0), add(mul(ix.get(2), g), ix.get(1)), ix.get(3)), List.of(n, c, plane)),
                load(x, flat(List.of(ix.get(0), add(mul(ix.get(1), per), ix.get(2)), ix.get(3)), List.of(n, c, plane))))));
    }

    private Block pool(Pool2d p, String x, String y, TensorType xt, TensorType yt) {
        long planes = (long) xt.dim(0) * xt.dim(1), h = xt.dim(2), w = xt.dim(3), oh = yt.dim(2), ow = yt.dim(3);
        long kh = p.kernel().h(), kw = p.kernel().w(), sh = p.stride().h(), sw = p.stride().w();
        long pt = p.padding().top(), pl = p.padding().left(), pb = p.padding().bottom(), pr = p.padding().right();
        Expr pl0 = v("p"), oy = v("oy"), ox = v("ox");
        // the window's rows depend on oy only; its columns are clamped only in the border columns, so
        // the interior columns [oxLo, oxHi) run vectorized with all kw taps (each output still reduces
        // in y, x order)
        List<Stmt> row = new ArrayList<>();
        row.add(local("y0", ScalarType.INDEX, sub(mul(oy, sh), i(pt))));
        row.add(local("ya", ScalarType.INDEX, max(v("y0"), i(0))));
        row.add(local("yb", ScalarType.INDEX, min(add(v("y0"), kh), i(h))));
        long oxLo = Math.min(ow, Math.max(0, Math.ceilDiv(pl, sw))), oxHi = Math.max(oxLo, Math.min(ow, Math.floorDiv(w - kw + pl, sw) + 1));
        if (vec(oxHi - oxLo) instanceof Annotation.Vectorize) {
            if (oxLo > 0) row.add(loop("ox", 0, oxLo, Annotation.SERIAL, poolOutput(p, x, y, planes, h, w, oh, ow, false).toArray(new Stmt[0])));
            row.add(loop("ox", oxLo, oxHi, vec(oxHi - oxLo), poolOutput(p, x, y, planes, h, w, oh, ow, true).toArray(new Stmt[0])));
            if (oxHi < ow) row.add(loop("ox", oxHi, ow, Annotation.SERIAL, poolOutput(p, x, y, planes, h, w, oh, ow, false).toArray(new Stmt[0])));
        } else {
            row.add(loop("ox", 0, ow, Annotation.SERIAL, poolOutput(p, x, y, planes, h, w, oh, ow, false).toArray(new Stmt[0])));
        }
        return block(loop("p", 0, planes, Annotation.SERIAL, loop("oy", 0, oh, Annotation.SERIAL, row.toArray(new Stmt[0]))));
    }

    /** One pooled output (p, oy, ox) given y0, ya, yb; {@code interior}: the window's columns need no clamping. */
    private List<Stmt> poolOutput(Pool2d p, String x, String y, long planes, long h, long w, long oh, long ow, boolean interior) {
        long kh = p.kernel().h(), kw = p.kernel().w(), sw = p.stride().w();
        long pl = p.padding().left(), pb = p.padding().bottom(), pr = p.padding().right();
        Expr pl0 = v("p"), oy = v("oy"), ox = v("ox");
        List<Stmt> s = new ArrayList<>();
        s.add(local("x0", ScalarType.INDEX, sub(mul(ox, sw), i(pl))));
        s.add(local("xa", ScalarType.INDEX, interior ? v("x0") : max(v("x0"), i(0))));
        s.add(local("xb", ScalarType.INDEX, interior ? add(v("x0"), kw) : min(add(v("x0"), kw), i(w))));
        Expr yAt = flat(List.of(pl0, oy, ox), List.of(planes, oh, ow));
        boolean max = p.kind() == PoolKind.MAX;
        String acc = max ? "m" : "s";
        s.add(local(acc, ScalarType.F32, max ? f32(Double.NEGATIVE_INFINITY) : f32(0)));
        List<Stmt> taps = new ArrayList<>();
        for (long kx = 0; kx < (interior ? kw : 1); kx++) {
            Expr xx = interior ? add(v("x0"), i(kx)) : v("x");
            Expr at = flat(List.of(pl0, v("y"), xx), List.of(planes, h, w));
            String val = "v" + (interior ? kx : "");
            taps.add(local(val, ScalarType.F32, load(x, at)));
            taps.add(max ? assign("m", select(or(gt(v(val), v("m")), ne(v(val), v(val))), v(val), v("m")))
                    : assign("s", fadd(v("s"), v(val))));
        }
        Stmt inner = interior ? block(taps) : loop("x", v("xa"), v("xb"), Annotation.SERIAL, taps.toArray(new Stmt[0]));
        s.add(loop("y", v("ya"), v("yb"), Annotation.SERIAL, inner));
        if (max) {
            s.add(store(y, yAt, v("m")));
        } else {
            Expr divisor;
            if (p.countIncludePad()) {
                divisor = mul(sub(min(add(v("y0"), kh), i(h + pb)), v("y0")), sub(min(add(v("x0"), kw), i(w + pr)), v("x0")));
            } else {
                divisor = mul(sub(v("yb"), v("ya")), sub(v("xb"), v("xa")));
            }
            Expr empty = or(bin(Expr.BinOp.GE, v("ya"), v("yb")), bin(Expr.BinOp.GE, v("xa"), v("xb")));
            s.add(store(y, yAt, select(empty, f32(0), fdiv(v("s"), cast(ScalarType.F32, divisor)))));
        }
        return s;
    }

    private Block globalAvgPool(String x, String y, TensorType xt) {
        long planes = (long) xt.dim(0) * xt.dim(1), hw = (long) xt.dim(2) * xt.dim(3);
        Expr p = v("p");
        return block(loop("p", 0, planes, Annotation.SERIAL,
                local("s", ScalarType.F32, f32(0)),
                loop("i", 0, hw, Annotation.SERIAL, assign("s", fadd(v("s"), load(x, add(mul(p, hw), v("i")))))),
                store(y, p, fdiv(v("s"), cast(ScalarType.F32, i(hw))))));
    }

    private Block linear(Linear l, List<String> in, String y, TensorType xt, TensorType wt, TensorType yt) {
        Fusion fusion = l.fusion();
        boolean bias = in.size() - fusion.extraOperands() > 2;
        long k = wt.dim(1), o = wt.dim(0), rows = xt.numel() / k;
        String x = in.get(0), w = in.get(1);
        Expr r = rows == 1 ? i(0) : v("r"), oo = v("o");
        Expr result = bias ? fadd(v("acc"), load(in.get(2), oo)) : v("acc");
        Expr zAt = null;
        if (fusion.extraOperands() > 0) {
            long[] zs = broadcastStrides(types.get(in.get(in.size() - 1)), yt);
            List<Long> outDims = dims(yt);
            // the output [..., o] as rows r and column o: recover each leading axis index from r
            Expr idx = mul(oo, zs[zs.length - 1]);
            long inner = 1;
            for (int a = yt.rank() - 2; a >= 0; a--) {
                idx = add(idx, mul(rem(div(r, inner), outDims.get(a)), zs[a]));
                inner *= outDims.get(a);
            }
            zAt = idx;
        }
        Stmt done = finish(fusion, result, in, zAt, y, add(mul(r, o), oo));
        int lanes = options.vectorWidth() >= 8 ? (k >= 2L * options.vectorWidth() ? 2 * options.vectorWidth() : options.vectorWidth()) : 0;
        if (lanes > 0 && k >= lanes && o >= LINEAR_BLOCK) {
            Block split = splitLinear(x, w, y, r, k, o, lanes, done);
            return block(rows == 1 ? split : loop("r", rows, split));
        }
        // outputs side by side in vector lanes, each summing its k products in order
        Stmt perOut = loop("o", 0, o, vec(o),
                local("acc", ScalarType.F32, f32(0)),
                loop("k", 0, k, Annotation.SERIAL, assign("acc", fadd(v("acc"),
                        fmul(load(x, add(mul(r, k), v("k"))), load(w, add(mul(oo, k), v("k"))))))),
                done);
        return block(rows == 1 ? perOut : loop("r", rows, perOut));
    }

    /** Outputs of a linear layer that share each vector of inputs in the split schedule. */
    static final int LINEAR_BLOCK = 4;

    /**
     * A linear layer with its reduction split across vector lanes (the weights are [o, k] rows, so
     * a row is contiguous along k): for blocks of {@link #LINEAR_BLOCK} outputs, {@code lanes}
     * partial sums each (sum l holds the products k = l, l + lanes, ...; a scratch buffer receives
     * them), then each output adds its partial sums in lane order, then the k % lanes products left
     * over, in order. This reorders the interpreter's sum (within the tolerance of the differential
     * tests) and streams the weights with vector loads instead of gathering one element per lane.
     */
    private Block splitLinear(String x, String w, String y, Expr r, long k, long o, int lanes, Stmt done) {
        String partial = unique(y + ".partial", new HashSet<>(buffers.keySet()));
        buffers.put(partial, new Buffer(partial, ScalarType.F32, (long) LINEAR_BLOCK * lanes, new Role.Scratch(Role.UNPLANNED)));
        long full = k / lanes;
        Expr kk = add(mul(v("kb"), lanes), v("l"));
        List<Stmt> tile = new ArrayList<>();
        for (int j = 0; j < LINEAR_BLOCK; j++) tile.add(local("acc" + j, ScalarType.F32, f32(0)));
        List<Stmt> step = new ArrayList<>();
        step.add(local("xv", ScalarType.F32, load(x, add(mul(r, k), kk))));
        for (int j = 0; j < LINEAR_BLOCK; j++) {
            step.add(assign("acc" + j, fadd(v("acc" + j), fmul(load(w, add(mul(add(v("obs"), j), k), kk)), v("xv")))));
        }
        tile.add(loop("kb", 0, full, Annotation.SERIAL, step.toArray(new Stmt[0])));
        for (int j = 0; j < LINEAR_BLOCK; j++) tile.add(store(partial, add(i((long) j * lanes), v("l")), v("acc" + j)));
        List<Stmt> perBlock = new ArrayList<>();
        perBlock.add(local("obs", ScalarType.INDEX, min(mul(v("ob"), LINEAR_BLOCK), i(o - LINEAR_BLOCK))));
        perBlock.add(loop("l", 0, lanes, new Annotation.Vectorize(lanes), tile.toArray(new Stmt[0])));
        for (int j = 0; j < LINEAR_BLOCK; j++) {
            List<Stmt> out = new ArrayList<>();
            out.add(local("o", ScalarType.INDEX, add(v("obs"), j)));
            out.add(local("acc", ScalarType.F32, f32(0)));
            out.add(loop("l", 0, lanes, Annotation.SERIAL, assign("acc", fadd(v("acc"), load(partial, add(i((long) j * lanes), v("l")))))));
            if (full * lanes < k) {
                out.add(loop("k", full * lanes, k, Annotation.SERIAL, assign("acc", fadd(v("acc"),
                        fmul(load(x, add(mul(r, k), v("k"))), load(w, add(mul(v("o"), k), v("k"))))))));
            }
            out.add(done);
            perBlock.add(block(out));
        }
        return block(loop("ob", 0, Math.ceilDiv(o, LINEAR_BLOCK), Annotation.SERIAL, perBlock.toArray(new Stmt[0])));
    }

    private Block matmul(List<String> in, String y, TensorType at, TensorType bt, TensorType out) {
        String a = in.get(0), b = in.get(1);
        long m = at.dim(-2), k = at.dim(-1), n = bt.dim(-1);
        TensorType batch = out.withShape(out.shape().subList(0, out.rank() - 2));
        long[] sa = broadcastStrides(at.withShape(at.shape().subList(0, at.rank() - 2)), batch);
        long[] sb = broadcastStrides(bt.withShape(bt.shape().subList(0, bt.rank() - 2)), batch);
        List<String> names = new ArrayList<>();
        List<Long> extents = new ArrayList<>();
        for (int t = 0; t < batch.rank(); t++) {
            names.add("t" + t);
            extents.add((long) batch.dim(t));
        }
        names.add("i");
        extents.add(m);
        return block(nest(names, extents, false, ix -> {
            Expr offA = i(0), offB = i(0), tFlat = i(0);
            for (int t = 0; t < batch.rank(); t++) {
                offA = add(offA, mul(ix.get(t), sa[t] * m * k));
                offB = add(offB, mul(ix.get(t), sb[t] * k * n));
                tFlat = add(mul(tFlat, batch.dim(t)), ix.get(t));
            }
            Expr row = add(mul(add(mul(tFlat, m), ix.get(batch.rank())), n), v("j"));
            Expr aAt = add(add(offA, mul(ix.get(batch.rank()), k)), v("p"));
            Expr bAt = add(add(offB, mul(v("p"), n)), v("j"));
            return block(
                    loop("j", 0, n, vec(n), store(y, row, f32(0))),
                    loop("p", 0, k, Annotation.SERIAL, loop("j", 0, n, vec(n),
                            store(y, row, fadd(load(y, row), fmul(load(a, aAt), load(b, bAt)))))));
        }));
    }

    private Block softmax(Softmax s, String x, String y, TensorType t) {
        int ax = s.axis() < 0 ? s.axis() + t.rank() : s.axis();
        long outer = 1, len = t.dim(ax), inner = 1;
        for (int k = 0; k < ax; k++) outer *= t.dim(k);
        for (int k = ax + 1; k < t.rank(); k++) inner *= t.dim(k);
        long innerF = inner, lenF = len;
        return block(nest(List.of("o", "i"), List.of(outer, inner), false, ix -> {
            Expr at = add(mul(add(mul(ix.get(0), lenF), v("j")), innerF), ix.get(1));
            return block(
                    local("m", ScalarType.F32, f32(Double.NEGATIVE_INFINITY)),
                    loop("j", 0, len, Annotation.SERIAL,
                            local("v", ScalarType.F32, load(x, at)),
                            assign("m", select(or(gt(v("v"), v("m")), ne(v("v"), v("v"))), v("v"), v("m")))),
                    local("s", options.wide(), options.hardwareF64() ? f64(0) : f32(0)),
                    loop("j", 0, len, Annotation.SERIAL,
                            local("e", ScalarType.F32, call(Intrinsic.EXP, fsub(load(x, at), v("m")))),
                            store(y, at, v("e")),
                            assign("s", fadd(v("s"), widen(v("e"))))),
                    loop("j", 0, len, innerF == 1 ? vec(len) : Annotation.SERIAL,
                            store(y, at, narrow(fdiv(widen(load(y, at)), v("s"))))));
        }));
    }

    private Block pad(Pad p, String x, String y, TensorType xt, TensorType yt) {
        int r = yt.rank();
        List<Stmt> s = new ArrayList<>();
        s.add(nest(List.of("i"), List.of(yt.numel()), true, ix -> store(y, ix.get(0), f32(p.value()))));
        long[] lo = new long[r], hi = new long[r];
        boolean empty = false;
        for (int k = 0; k < r; k++) {
            long before = p.pads().get(2 * k);
            lo[k] = Math.max(0, before);
            hi[k] = Math.min(yt.dim(k), before + xt.dim(k));
            if (lo[k] >= hi[k]) empty = true;
        }
        if (!empty && r > 0) {
            List<Expr> yi = new ArrayList<>(), xi = new ArrayList<>();
            for (int k = 0; k < r; k++) {
                yi.add(v("o" + k));
                xi.add(sub(v("o" + k), i(p.pads().get(2 * k))));
            }
            Stmt st = store(y, flat(yi, dims(yt)), load(x, flat(xi, dims(xt))));
            for (int k = r - 1; k >= 0; k--) st = loop("o" + k, i(lo[k]), i(hi[k]), k == r - 1 ? vec(hi[k] - lo[k]) : Annotation.SERIAL, st);
            s.add(st);
        } else if (r == 0) {
            s.add(store(y, i(0), load(x, i(0))));
        }
        return block(s);
    }
}
