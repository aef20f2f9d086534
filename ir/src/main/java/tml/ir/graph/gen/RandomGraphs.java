package tml.ir.graph.gen;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import tml.ir.graph.DType;
import tml.ir.graph.Graph;
import tml.ir.graph.Hw;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.Op.*;
import tml.ir.graph.OpCost;
import tml.ir.graph.Output;
import tml.ir.graph.Pads;
import tml.ir.graph.Param;
import tml.ir.graph.ParamInit;
import tml.ir.graph.ShapeException;
import tml.ir.graph.ShapeRules;
import tml.ir.graph.TensorType;
import tml.ir.graph.Verifier;

/**
 * Small random graphs that pass the {@link Verifier}, for tests across modules (printer/parser round
 * trips, interpreter against backends, optimizer passes). Deterministic in the seed.
 *
 * <p>Graphs start from 1 to {@code maxInputs} NCHW inputs (channels and spatial sizes at most
 * {@code maxChannels}/{@code maxSpatial}) and apply random ops: convolutions with random stride,
 * padding (also asymmetric), dilation and groups (depthwise and grouped included), batch norm, every
 * activation, broadcasting binary ops, ops with a scalar, concat, channel shuffle, max/avg pooling
 * with and without ceil mode, global average pooling, flatten, linear, matmul, softmax, reshape, pad
 * and dropout. No tensor exceeds {@code maxElements} elements and no node {@code maxMacs}
 * multiply-accumulates, so a graph runs in milliseconds.
 *
 * <p>Values stay well-conditioned: weights are {@code uniform(1/sqrt(fan_in))} as PyTorch initialises
 * them, batch-norm running variances are positive constants, and a division only ever divides by a
 * value bounded away from zero (a positive constant param or {@code sigmoid(x) + c} with c &ge; 0.5).
 */
public final class RandomGraphs {
    private RandomGraphs() {}

    /**
     * Generation limits. {@code dtype} must be a floating type.
     *
     * @param minNodes      at least this many nodes (a graph always has at least one)
     * @param maxNodes      about this many nodes at most (a step may emit up to three nodes)
     * @param maxInputs     1 to this many inputs
     * @param maxBatch      batch size N of the inputs is 1 to this
     * @param maxChannels   input channels and the channel count of new layers are at most this
     * @param maxSpatial    input height and width are at most this
     * @param maxElements   no value or param has more elements than this
     * @param maxMacs       no node costs more multiply-accumulates than this ({@link OpCost#macs})
     * @param dtype         the element type of every tensor
     * @param exoticNames   sometimes use names that need quoting in the text (spaces, quotes, non-ASCII, lone surrogates, "")
     * @param quantumLayers also emit {@code quantum} circuit layers (1 to 3 qubits, off by default: only the
     *                      interpreter runs them, and leaving them out keeps every seed's graph unchanged)
     */
    public record Options(int minNodes, int maxNodes, int maxInputs, int maxBatch, int maxChannels, int maxSpatial,
                          int maxElements, long maxMacs, DType dtype, boolean exoticNames, boolean quantumLayers) {
        public Options(int minNodes, int maxNodes, int maxInputs, int maxBatch, int maxChannels, int maxSpatial,
                       int maxElements, long maxMacs, DType dtype, boolean exoticNames) {
            this(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, exoticNames, false);
        }

        public Options {
            if (minNodes < 1 || maxNodes < minNodes) throw new IllegalArgumentException("need 1 <= minNodes <= maxNodes");
            if (maxInputs < 1 || maxBatch < 1 || maxChannels < 1 || maxSpatial < 1) {
                throw new IllegalArgumentException("maxInputs, maxBatch, maxChannels and maxSpatial must be positive");
            }
            if (maxElements < (long) maxBatch * maxChannels * maxSpatial * maxSpatial) {
                throw new IllegalArgumentException("maxElements must allow the largest input");
            }
            if (maxMacs < 1) throw new IllegalArgumentException("maxMacs must be positive");
            if (!dtype.isFloating()) throw new IllegalArgumentException("dtype must be floating, got " + dtype);
        }

        /** 1 to 12 nodes, up to 2 inputs of at most [2,16,16,16], values of at most 32768 elements, nodes of at most 10^6 MACs, f32, plain names. */
        public static Options defaults() {
            return new Options(1, 12, 2, 2, 16, 16, 32768, 1_000_000, DType.F32, false);
        }

        public Options withNodes(int min, int max) {
            return new Options(min, max, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, exoticNames, quantumLayers);
        }

        public Options withMaxInputs(int n) {
            return new Options(minNodes, maxNodes, n, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, exoticNames, quantumLayers);
        }

        public Options withSizes(int maxBatch, int maxChannels, int maxSpatial, int maxElements) {
            return new Options(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, exoticNames, quantumLayers);
        }

        public Options withMaxMacs(long macs) {
            return new Options(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, macs, dtype, exoticNames, quantumLayers);
        }

        public Options withDtype(DType d) {
            return new Options(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, d, exoticNames, quantumLayers);
        }

        public Options withQuantumLayers(boolean on) {
            return new Options(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, exoticNames, on);
        }

        public Options withExoticNames(boolean on) {
            return new Options(minNodes, maxNodes, maxInputs, maxBatch, maxChannels, maxSpatial, maxElements, maxMacs, dtype, on, quantumLayers);
        }
    }

    /** A random valid graph with the default options. */
    public static Graph random(long seed) {
        return random(seed, Options.defaults());
    }

    /** A random graph that passes the verifier (checked: a failure here is a bug of the generator). */
    public static Graph random(long seed, Options options) {
        Graph g = new Gen(seed, options).build();
        Verifier.verifyOrThrow(g);
        return g;
    }

    // ------------------------------------------------------------------------------------------------

    /** A value that ops may consume: an input or a node. {@code nonneg}: all elements >= 0; {@code positive}: >= 0.5. */
    private record Value(String name, TensorType type, boolean nonneg, boolean positive) {
        int rank() { return type.rank(); }
        int dim(int i) { return type.dim(i); }
    }

    private static final String[] EXOTIC = {
        "weird name", "a\"quoted\"", "back\\slash", "tab\there", "new\nline", "ünïcödé", "日本", "\uD800lone",
        "", " ", "%not_a_value", "@not_a_param", "// not a comment", "a,b", "{x}", "-1", "x:y", "=",
    };

    private static final class Gen {
        final Random rnd;
        final Options o;
        final String graphName;
        final List<Input> inputs = new ArrayList<>();
        final List<Param> params = new ArrayList<>();
        final List<Node> nodes = new ArrayList<>();
        final List<Value> values = new ArrayList<>();
        final Map<String, TensorType> types = new HashMap<>();
        final Set<String> used = new HashSet<>();
        final Map<String, Integer> counters = new HashMap<>();
        int stage, stageIndex;
        /** Params created for the node being built; dropped if the node turns out not to type. */
        final List<Param> pending = new ArrayList<>();

        Gen(long seed, Options o) {
            this.rnd = new Random(seed);
            this.o = o;
            this.graphName = o.exoticNames() && rnd.nextInt(3) == 0 ? EXOTIC[rnd.nextInt(EXOTIC.length)]
                    : "Random_" + Long.toHexString(seed);
        }

        Graph build() {
            int nInputs = 1 + rnd.nextInt(o.maxInputs());
            TensorType first = null;
            for (int i = 0; i < nInputs; i++) {
                TensorType t;
                if (first != null && rnd.nextInt(2) == 0) {
                    t = first; // same shape as the first input, so binary ops and concat can join them
                } else {
                    t = TensorType.of(o.dtype(), List.of(1 + rnd.nextInt(o.maxBatch()), 1 + rnd.nextInt(o.maxChannels()),
                            spatial(), spatial()));
                }
                if (first == null) first = t;
                String name = unique(i == 0 ? pick("image", "x", "input", "0") : pick("x", "input", "aux", "y") + "_" + i);
                inputs.add(new Input(name, t));
                types.put(name, t);
                values.add(new Value(name, t, false, false));
            }

            int target = o.minNodes() + rnd.nextInt(o.maxNodes() - o.minNodes() + 1);
            int attempts = 0;
            while (nodes.size() < target && attempts++ < 50 * target) {
                step();
            }
            while (nodes.size() < o.minNodes()) {
                activation(values.get(values.size() - 1)); // always applicable: the dtype is floating
            }

            List<Output> outputs = new ArrayList<>();
            Set<String> outNames = new HashSet<>();
            String last = nodes.get(nodes.size() - 1).name();
            outputs.add(new Output(outputName(outNames, "out"), last));
            int extra = rnd.nextInt(10) < 3 ? 1 + rnd.nextInt(2) : 0;
            for (int i = 0; i < extra; i++) {
                String v = rnd.nextInt(8) == 0 ? inputs.get(0).name() : nodes.get(rnd.nextInt(nodes.size())).name();
                outputs.add(new Output(outputName(outNames, pick("out", "logits", "features", "aux")), v));
            }
            return new Graph(graphName, ImmutableList.copyOf(inputs), ImmutableList.copyOf(params),
                    ImmutableList.copyOf(nodes), ImmutableList.copyOf(outputs));
        }

        int spatial() {
            int lo = Math.min(4, o.maxSpatial());
            return lo + rnd.nextInt(o.maxSpatial() - lo + 1);
        }

        // ------------------------------------------------------------------------------- names

        @SafeVarargs
        final <T> T pick(T... xs) { return xs[rnd.nextInt(xs.length)]; }

        String unique(String base) {
            String n = base;
            for (int k = 1; !used.add(n); k++) n = base + "_" + k;
            return n;
        }

        String outputName(Set<String> taken, String base) {
            if (o.exoticNames() && rnd.nextInt(4) == 0) base = pick(EXOTIC);
            String n = base;
            for (int k = 1; !taken.add(n); k++) n = base + "_" + k;
            return n;
        }

        /** A node name in one of the styles front ends produce: relu_0, features.3.1, layer2.0.conv1, 7. */
        String nodeName(String hint) {
            if (o.exoticNames() && rnd.nextInt(5) == 0) return unique(pick(EXOTIC));
            return unique(switch (rnd.nextInt(4)) {
                case 0 -> {
                    int k = counters.merge(hint, 1, Integer::sum) - 1;
                    yield hint + "_" + k;
                }
                case 1 -> {
                    if (rnd.nextInt(3) == 0) { stage++; stageIndex = 0; }
                    yield "features." + stage + "." + stageIndex++;
                }
                case 2 -> "layer" + (1 + rnd.nextInt(4)) + "." + rnd.nextInt(3) + "." + hint + (1 + rnd.nextInt(3));
                default -> String.valueOf(nodes.size());
            });
        }

        Param param(String node, String suffix, List<Integer> shape, ParamInit init, boolean buffer) {
            TensorType t = TensorType.of(o.dtype(), shape);
            Param p = new Param(unique(node + "." + suffix), t, init, buffer);
            pending.add(p);
            return p;
        }

        // ------------------------------------------------------------------------------- emitting

        /**
         * Adds a node if it types and its result and params fit the size limit; commits the pending params
         * with it. Returns the new value, or empty (and forgets the pending params and the name).
         */
        Optional<Value> emit(String name, Op op, List<String> operands, boolean nonneg, boolean positive) {
            List<TensorType> in = new ArrayList<>();
            for (String s : operands) {
                TensorType t = types.get(s);
                if (t == null) t = pendingType(s);
                in.add(t);
            }
            TensorType out;
            try {
                out = ShapeRules.infer(op, in);
            } catch (ShapeException e) {
                out = null;
            }
            boolean fits = out != null && out.numel() <= o.maxElements() && out.rank() >= 1
                    && OpCost.macs(op, in, out) <= o.maxMacs();
            for (Param p : pending) fits &= p.type().numel() <= o.maxElements();
            if (!fits) {
                for (Param p : pending) used.remove(p.name());
                used.remove(name);
                pending.clear();
                return Optional.empty();
            }
            for (Param p : pending) {
                params.add(p);
                types.put(p.name(), p.type());
            }
            pending.clear();
            nodes.add(new Node(name, op, ImmutableList.copyOf(operands), out));
            types.put(name, out);
            Value v = new Value(name, out, nonneg || positive, positive);
            values.add(v);
            return Optional.of(v);
        }

        TensorType pendingType(String name) {
            for (Param p : pending) if (p.name().equals(name)) return p.type();
            throw new IllegalStateException("unknown operand " + name);
        }

        /** A value satisfying {@code ok}, most often the latest one (to grow deep chains), else any. */
        Optional<Value> choose(Predicate<Value> ok) {
            List<Value> c = values.stream().filter(ok).toList();
            if (c.isEmpty()) return Optional.empty();
            return Optional.of(rnd.nextInt(10) < 6 ? c.get(c.size() - 1) : c.get(rnd.nextInt(c.size())));
        }

        static boolean is4d(Value v) { return v.rank() == 4; }

        double uniformBound(long fanIn) { return 1.0 / Math.sqrt(Math.max(1, fanIn)); }

        // ------------------------------------------------------------------------------- steps

        void step() {
            // Drawn only when enabled, so that graphs without quantum layers stay what their seeds gave before.
            if (o.quantumLayers() && rnd.nextInt(6) == 0) {
                choose(v -> true).ifPresent(this::quantumOn);
                return;
            }
            int r = rnd.nextInt(100);
            if (r < 16) choose(Gen::is4d).ifPresent(this::conv2d);
            else if (r < 24) choose(v -> v.rank() >= 2).ifPresent(this::batchNorm);
            else if (r < 36) choose(v -> true).ifPresent(this::activation);
            else if (r < 46) choose(v -> true).ifPresent(this::binary);
            else if (r < 53) choose(v -> true).ifPresent(this::binaryScalar);
            else if (r < 58) choose(v -> true).ifPresent(this::concat);
            else if (r < 61) choose(Gen::is4d).ifPresent(this::channelShuffle);
            else if (r < 69) choose(Gen::is4d).ifPresent(this::pool);
            else if (r < 72) choose(Gen::is4d).ifPresent(this::globalAvgPool);
            else if (r < 78) choose(v -> true).ifPresent(this::flattenLinear);
            else if (r < 81) choose(v -> v.rank() >= 2).ifPresent(this::matmul);
            else if (r < 85) choose(v -> true).ifPresent(this::softmax);
            else if (r < 90) choose(v -> true).ifPresent(this::reshape);
            else if (r < 95) choose(v -> true).ifPresent(this::pad);
            else choose(v -> true).ifPresent(this::dropout);
        }

        void conv2d(Value x) {
            int c = x.dim(1);
            int cap = 2 * o.maxChannels();
            for (int attempt = 0; attempt < 8; attempt++) {
                int groups, out;
                switch (rnd.nextInt(4)) {
                    case 0 -> { // depthwise, channel multiplier 1 or 2
                        groups = c;
                        out = c * (c * 2 <= cap && rnd.nextBoolean() ? 2 : 1);
                    }
                    case 1 -> { // grouped
                        List<Integer> divs = divisors(c);
                        groups = divs.get(rnd.nextInt(divs.size()));
                        out = groups * (1 + rnd.nextInt(Math.max(1, o.maxChannels() / groups)));
                    }
                    default -> {
                        groups = 1;
                        out = 1 + rnd.nextInt(o.maxChannels());
                    }
                }
                int kh = 1 + rnd.nextInt(3), kw = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : kh;
                Hw stride = rnd.nextInt(3) == 0 ? new Hw(1 + rnd.nextInt(2), 1 + rnd.nextInt(2)) : Hw.of(1 + rnd.nextInt(2));
                Hw dilation = rnd.nextInt(4) == 0 ? new Hw(1 + rnd.nextInt(2), 1 + rnd.nextInt(2)) : Hw.of(1);
                Pads padding = switch (rnd.nextInt(3)) {
                    case 0 -> Pads.symmetric(dilation.h() * (kh - 1) / 2, dilation.w() * (kw - 1) / 2); // "same"-style
                    case 1 -> Pads.NONE;
                    default -> new Pads(rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
                };
                String name = nodeName(pick("conv", "conv2d", "dw"));
                long fanIn = (long) (c / groups) * kh * kw;
                double bound = uniformBound(fanIn);
                Param w = param(name, "weight", List.of(out, c / groups, kh, kw), new ParamInit.Uniform(bound), false);
                List<String> ops = new ArrayList<>(List.of(x.name(), w.name()));
                if (rnd.nextBoolean()) ops.add(param(name, "bias", List.of(out), new ParamInit.Uniform(bound), false).name());
                if (emit(name, new Conv2d(stride, padding, dilation, groups), ops, false, false).isPresent()) return;
            }
        }

        void batchNorm(Value x) {
            int c = x.dim(1);
            String name = nodeName(pick("bn", "batch_norm", "norm"));
            Param w = param(name, "weight", List.of(c), rnd.nextBoolean() ? new ParamInit.Constant(1.0) : new ParamInit.Uniform(1.0), false);
            Param b = param(name, "bias", List.of(c), rnd.nextBoolean() ? new ParamInit.Constant(0.0) : new ParamInit.Uniform(0.5), false);
            Param mean = param(name, "running_mean", List.of(c), rnd.nextBoolean() ? new ParamInit.Constant(0.0) : new ParamInit.Uniform(0.5), true);
            // The variance must be positive: a constant in [0.5, 2].
            Param var = param(name, "running_var", List.of(c), new ParamInit.Constant(pick(1.0, 0.5, 2.0, 0.75)), true);
            double eps = pick(1.0E-5, 1.0E-3, 1.0E-5);
            emit(name, new BatchNorm(eps), List.of(x.name(), w.name(), b.name(), mean.name(), var.name()), false, false);
        }

        Optional<Value> activation(Value x) {
            ActKind k = ActKind.values()[rnd.nextInt(ActKind.values().length)];
            boolean nonneg = k == ActKind.RELU || k == ActKind.RELU6 || k == ActKind.SIGMOID || k == ActKind.HARDSIGMOID;
            return emit(nodeName(k.text), new Activation(k), List.of(x.name()), nonneg, false);
        }

        /** A value of x's shape bounded below by 0.5: sigmoid(x) + c, c in [0.5, 1.5]. Two nodes. */
        Optional<Value> positiveOf(Value x) {
            Optional<Value> s = emit(nodeName("sigmoid"), new Activation(ActKind.SIGMOID), List.of(x.name()), true, false);
            if (s.isEmpty()) return s;
            return emit(nodeName("add_scalar"), new BinaryScalar(BinKind.ADD, pick(0.5, 1.0, 1.5), rnd.nextBoolean()),
                    List.of(s.get().name()), true, true);
        }

        /** A shape that broadcasts against {@code t}: a suffix of its axes, each kept or set to 1. */
        List<Integer> broadcastShape(TensorType t) {
            int r = 1 + rnd.nextInt(t.rank());
            List<Integer> s = new ArrayList<>();
            for (int i = t.rank() - r; i < t.rank(); i++) s.add(rnd.nextInt(3) == 0 ? 1 : t.dim(i));
            if (rnd.nextInt(4) == 0) s.add(0, 1); // a leading 1 beyond the rank of t is fine too
            return s;
        }

        void binary(Value x) {
            BinKind k = BinKind.values()[rnd.nextInt(BinKind.values().length)];
            String name = nodeName(k.text);
            List<String> ops;
            boolean positive = false;
            switch (rnd.nextInt(3)) {
                case 0 -> { // another value that broadcasts against x (same shape, [N,C,1,1] of a pooled branch, ...)
                    Optional<Value> y = choose(v -> broadcasts(x.type(), v.type()) && (k != BinKind.DIV || v.positive()));
                    if (y.isEmpty() && k == BinKind.DIV) {
                        y = positiveOf(x);
                        if (y.isPresent()) name = nodeName(k.text); // keep node names in definition order
                    }
                    if (y.isEmpty()) return;
                    ops = rnd.nextBoolean() || k == BinKind.DIV ? List.of(x.name(), y.get().name()) : List.of(y.get().name(), x.name());
                    positive = k == BinKind.ADD && x.positive() && y.get().positive();
                }
                case 1 -> { // a broadcast param: per-channel scale, bias, ...
                    ParamInit init = k == BinKind.DIV || k == BinKind.MUL
                            ? new ParamInit.Constant(pick(0.5, 1.0, 2.0, 1.5)) : new ParamInit.Uniform(pick(0.5, 1.0));
                    Param p = param(name, pick("scale", "shift", "weight"), broadcastShape(x.type()), init, false);
                    ops = rnd.nextBoolean() || k == BinKind.DIV ? List.of(x.name(), p.name()) : List.of(p.name(), x.name());
                }
                default -> { // x with itself
                    if (k == BinKind.DIV) return;
                    ops = List.of(x.name(), x.name());
                }
            }
            emit(name, new Binary(k), ops, false, positive);
        }

        static boolean broadcasts(TensorType a, TensorType b) {
            int r = Math.max(a.rank(), b.rank());
            for (int i = 0; i < r; i++) {
                int da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
                int db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
                if (da != db && da != 1 && db != 1) return false;
            }
            return a.dtype() == b.dtype();
        }

        void binaryScalar(Value x) {
            BinKind k = BinKind.values()[rnd.nextInt(BinKind.values().length)];
            boolean left = rnd.nextBoolean();
            double s = pick(0.5, 2.0, -1.0, 3.0, 0.25, 1.0, -0.75);
            if (k == BinKind.DIV && left && !x.positive()) {
                Optional<Value> p = positiveOf(x);
                if (p.isEmpty()) return;
                x = p.get();
            }
            boolean positive = k == BinKind.ADD && s >= 0.5 && x.nonneg();
            emit(nodeName(k.text + "_scalar"), new BinaryScalar(k, s, left), List.of(x.name()), false, positive);
        }

        void concat(Value x) {
            if (x.rank() < 1) return;
            int axis = x.rank() >= 2 && rnd.nextInt(3) > 0 ? 1 : rnd.nextInt(x.rank());
            List<String> ops = new ArrayList<>(List.of(x.name()));
            int more = 1 + rnd.nextInt(2);
            int a = axis;
            for (int i = 0; i < more; i++) {
                Optional<Value> y = choose(v -> !v.name().equals(x.name()) && joins(x.type(), v.type(), a));
                if (y.isEmpty() || rnd.nextInt(4) == 0) {
                    Optional<Value> act = activation(x); // a second branch from x
                    if (act.isEmpty()) return;
                    y = act;
                }
                ops.add(y.get().name());
            }
            if (rnd.nextInt(5) == 0) ops.add(x.name()); // the same value twice is fine
            int printed = rnd.nextBoolean() ? axis - x.rank() : axis; // negative axes too
            emit(nodeName("concat"), new Concat(printed), ops, false, false);
        }

        static boolean joins(TensorType a, TensorType b, int axis) {
            if (a.rank() != b.rank() || a.dtype() != b.dtype()) return false;
            for (int i = 0; i < a.rank(); i++) if (i != axis && a.dim(i) != b.dim(i)) return false;
            return true;
        }

        void channelShuffle(Value x) {
            List<Integer> divs = divisors(x.dim(1));
            int g = divs.get(rnd.nextInt(divs.size()));
            emit(nodeName("channel_shuffle"), new ChannelShuffle(g), List.of(x.name()), x.nonneg(), x.positive());
        }

        void pool(Value x) {
            for (int attempt = 0; attempt < 8; attempt++) {
                PoolKind kind = rnd.nextBoolean() ? PoolKind.MAX : PoolKind.AVG;
                int kh = 1 + rnd.nextInt(3), kw = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : kh;
                Hw kernel = new Hw(kh, kw);
                Hw stride = rnd.nextInt(4) == 0 ? new Hw(1 + rnd.nextInt(3), 1 + rnd.nextInt(3))
                        : rnd.nextBoolean() ? kernel : Hw.of(1 + rnd.nextInt(2));
                Pads padding = rnd.nextBoolean() ? Pads.NONE
                        : rnd.nextBoolean() ? Pads.symmetric(kh / 2, kw / 2)
                        : new Pads(rnd.nextInt(kh / 2 + 1), rnd.nextInt(kw / 2 + 1), rnd.nextInt(kh / 2 + 1), rnd.nextInt(kw / 2 + 1));
                Pool2d op = new Pool2d(kind, kernel, stride, padding, rnd.nextBoolean(), rnd.nextBoolean());
                if (emit(nodeName(kind == PoolKind.MAX ? "maxpool" : "avgpool"), op, List.of(x.name()), x.nonneg(), false).isPresent()) return;
            }
        }

        void globalAvgPool(Value x) {
            emit(nodeName(pick("avgpool", "gap", "pool")), new GlobalAvgPool(), List.of(x.name()), x.nonneg(), x.positive());
        }

        void flattenLinear(Value x) {
            Value in = x;
            if (x.rank() >= 2 && rnd.nextInt(4) > 0) {
                int start = rnd.nextInt(3) > 0 ? 1 : rnd.nextInt(x.rank());
                if (rnd.nextInt(4) == 0) start -= x.rank();
                Optional<Value> f = emit(nodeName("flatten"), new Flatten(start), List.of(x.name()), x.nonneg(), x.positive());
                if (f.isEmpty()) return;
                in = f.get();
            }
            if (rnd.nextInt(6) == 0) return; // a flatten alone
            int features = in.dim(-1);
            int out = 1 + rnd.nextInt(o.maxChannels());
            String name = nodeName(pick("fc", "linear", "classifier"));
            double bound = uniformBound(features);
            Param w = param(name, "weight", List.of(out, features), new ParamInit.Uniform(bound), false);
            List<String> ops = new ArrayList<>(List.of(in.name(), w.name()));
            if (rnd.nextInt(3) > 0) ops.add(param(name, "bias", List.of(out), new ParamInit.Uniform(bound), false).name());
            emit(name, new Linear(), ops, false, false);
        }

        void matmul(Value x) {
            int k = x.dim(-1);
            String name = nodeName("matmul");
            Optional<Value> y = rnd.nextBoolean()
                    ? choose(v -> v.rank() >= 2 && v.dim(-2) == k && batchBroadcasts(x.type(), v.type())) : Optional.empty();
            List<String> ops;
            if (y.isPresent()) {
                ops = List.of(x.name(), y.get().name());
            } else {
                int n = 1 + rnd.nextInt(o.maxChannels());
                ops = List.of(x.name(), param(name, "weight", List.of(k, n), new ParamInit.Uniform(uniformBound(k)), false).name());
            }
            emit(name, new MatMul(), ops, false, false);
        }

        static boolean batchBroadcasts(TensorType a, TensorType b) {
            return broadcasts(a.withShape(a.shape().subList(0, a.rank() - 2)), b.withShape(b.shape().subList(0, b.rank() - 2)));
        }

        /** A circuit layer on x, first flattened (at most 64 rows) and mapped by a linear layer to at most 6 features. */
        void quantumOn(Value x) {
            if (x.type().numel() / Math.max(1, x.dim(-1)) > 64) {
                Optional<Value> f = emit(nodeName("flatten"), new Flatten(1), List.of(x.name()), x.nonneg(), x.positive());
                if (f.isEmpty()) return;
                x = f.get();
            }
            if (x.dim(-1) > 6) {
                int features = x.dim(-1), out = 1 + rnd.nextInt(4);
                String name = nodeName(pick("fc", "linear"));
                Param w = param(name, "weight", List.of(out, features), new ParamInit.Uniform(uniformBound(features)), false);
                Optional<Value> l = emit(name, new Linear(), List.of(x.name(), w.name()), false, false);
                if (l.isEmpty()) return;
                x = l.get();
            }
            quantum(x);
        }

        /**
         * A circuit layer on the last axis of x (K features): 1 to 3 qubits, each feature encoded by a
         * rotation (sometimes scaled or shifted), then trainable rotations (some mixing a parameter and
         * a feature), entanglers and two-qubit rotations, and sometimes terminal measurements.
         */
        void quantum(Value x) {
            int k = x.dim(-1), n = 1 + rnd.nextInt(3);
            List<tml.ir.quantum.Op> ops = new ArrayList<>();
            List<String> names = new ArrayList<>();
            tml.ir.quantum.GateKind[] rotations = {tml.ir.quantum.GateKind.RX, tml.ir.quantum.GateKind.RY, tml.ir.quantum.GateKind.RZ};
            for (int i = 0; i < k; i++) {
                tml.ir.quantum.Angle a = tml.ir.quantum.Angle.input(i);
                if (rnd.nextInt(3) == 0) a = a.times(pick(0.5, 2.0, -1.0)).plus(pick(0.0, 0.25, Math.PI / 4));
                tml.ir.quantum.GateKind kind = i < n ? tml.ir.quantum.GateKind.RY : rotations[rnd.nextInt(3)];
                if (i < n && rnd.nextBoolean()) ops.add(tml.ir.quantum.Op.Gate.of(tml.ir.quantum.GateKind.H, i));
                ops.add(tml.ir.quantum.Op.Gate.of(kind, a, i % n));
            }
            int layers = 1 + rnd.nextInt(2);
            for (int l = 0; l < layers; l++) {
                for (int q = 0; q < n; q++) {
                    String t = "t" + names.size();
                    names.add(t);
                    tml.ir.quantum.Angle a = tml.ir.quantum.Angle.param(t);
                    if (k > 0 && rnd.nextInt(4) == 0) a = a.plus(tml.ir.quantum.Angle.input(rnd.nextInt(k)).times(0.5));
                    if (rnd.nextInt(3) == 0) {
                        String u = "t" + names.size(), v = "t" + (names.size() + 1);
                        names.add(u);
                        names.add(v);
                        ops.add(tml.ir.quantum.Op.Gate.of(tml.ir.quantum.GateKind.U3, ImmutableList.of(a,
                                tml.ir.quantum.Angle.param(u), tml.ir.quantum.Angle.param(v)), q));
                    } else {
                        ops.add(tml.ir.quantum.Op.Gate.of(rotations[rnd.nextInt(3)], a, q));
                    }
                }
                for (int q = 0; q + 1 < n; q++) {
                    if (rnd.nextBoolean()) {
                        ops.add(tml.ir.quantum.Op.Gate.of(tml.ir.quantum.GateKind.CX, q, q + 1));
                    } else {
                        String t = "t" + names.size();
                        names.add(t);
                        tml.ir.quantum.GateKind kind = pick(tml.ir.quantum.GateKind.CRY, tml.ir.quantum.GateKind.RZZ, tml.ir.quantum.GateKind.RXX);
                        ops.add(tml.ir.quantum.Op.Gate.of(kind, tml.ir.quantum.Angle.param(t), q, q + 1));
                    }
                }
            }
            int clbits = 0;
            if (rnd.nextInt(4) == 0) {
                for (int q = 0; q < n; q++) ops.add(new tml.ir.quantum.Op.Measure(q, q));
                clbits = n;
            }
            tml.ir.quantum.Circuit c = new tml.ir.quantum.Circuit(pick("qnn", "vqc", "circuit"), n, clbits, ImmutableList.copyOf(names), k,
                    ImmutableList.copyOf(ops));
            String name = nodeName(pick("qlayer", "quantum", "qnn"));
            Param w = param(name, "weights", List.of(names.size()), new ParamInit.Uniform(Math.PI), false);
            emit(name, new Quantum(c), List.of(x.name(), w.name()), false, false);
        }

        void softmax(Value x) {
            int axis = rnd.nextInt(2 * x.rank()) - x.rank();
            emit(nodeName("softmax"), new Softmax(axis), List.of(x.name()), true, false);
        }

        void reshape(Value x) {
            int n = Math.toIntExact(x.type().numel());
            int rank = 1 + rnd.nextInt(4);
            List<Integer> shape = new ArrayList<>();
            int rest = n;
            for (int i = 0; i < rank - 1; i++) {
                List<Integer> divs = divisors(rest);
                int d = divs.get(rnd.nextInt(divs.size()));
                shape.add(d);
                rest /= d;
            }
            shape.add(rest);
            java.util.Collections.shuffle(shape, rnd);
            emit(nodeName("reshape"), new Reshape(ImmutableList.copyOf(shape)), List.of(x.name()), x.nonneg(), x.positive());
        }

        void pad(Value x) {
            List<Integer> pads = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                int d = x.dim(i);
                boolean spatial = x.rank() != 4 || i >= 2;
                for (int side = 0; side < 2; side++) {
                    int r = rnd.nextInt(6);
                    // Mostly spatial zero padding; sometimes cropping by one (a negative pad) where the axis allows.
                    pads.add(r == 0 && d >= 3 ? -1 : spatial && r >= 3 ? 1 + rnd.nextInt(2) : 0);
                }
            }
            double value = pick(0.0, 0.0, 1.0, -0.5, 0.25);
            emit(nodeName("pad"), new Pad(ImmutableList.copyOf(pads), value), List.of(x.name()),
                    x.nonneg() && value >= 0, x.positive() && value >= 0.5);
        }

        void dropout(Value x) {
            emit(nodeName("dropout"), new Dropout(pick(0.5, 0.1, 0.2, 0.0)), List.of(x.name()), x.nonneg(), x.positive());
        }

        static List<Integer> divisors(int n) {
            List<Integer> d = new ArrayList<>();
            for (int i = 1; i <= n; i++) if (n % i == 0) d.add(i);
            if (d.isEmpty()) d.add(1); // n == 0 cannot occur (no empty axes), but stay total
            return d;
        }
    }
}
