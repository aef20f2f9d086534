package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.ir.graph.Op.*;

/**
 * The one place that knows each operator's typing rule. The front end calls it to type what the user
 * wrote (turning a {@link ShapeException} into a diagnostic at the call), the verifier calls it to
 * check every node of a graph.
 */
public final class ShapeRules {
    private ShapeRules() {}

    public static TensorType infer(Op op, List<TensorType> in) throws ShapeException {
        return switch (op) {
            case Conv2d c -> fused(c, c.fusion(), conv2d(c, own(c, c.fusion(), in, 2, 3)), in);
            case BatchNorm b -> batchNorm(in);
            case Activation a -> { arity(op, in, 1, 1); floating(op, in.get(0)); yield in.get(0); }
            case Dropout d -> { arity(op, in, 1, 1); yield in.get(0); }
            case Binary b -> { arity(op, in, 2, 2); yield broadcast(op, in.get(0), in.get(1)); }
            case BinaryScalar b -> { arity(op, in, 1, 1); yield in.get(0); }
            case Concat c -> concat(c, in);
            case ChannelShuffle s -> channelShuffle(s, in);
            case Pool2d p -> pool(p, in);
            case GlobalAvgPool g -> {
                arity(op, in, 1, 1);
                TensorType x = rank(op, in.get(0), 4, "input");
                yield x.withShape(List.of(x.dim(0), x.dim(1), 1, 1));
            }
            case Linear l -> fused(l, l.fusion(), linear(own(l, l.fusion(), in, 2, 3)), in);
            case MatMul m -> matmul(in);
            case Softmax s -> {
                arity(op, in, 1, 1);
                axis(op, s.axis(), in.get(0).rank());
                yield in.get(0);
            }
            case Reshape r -> {
                arity(op, in, 1, 1);
                for (int d : r.shape()) {
                    if (d < 0) throw new ShapeException("reshape: dimension " + d + " of " + r.shape() + " is negative");
                }
                long n = elements(r.shape());
                if (n != in.get(0).numel()) {
                    throw new ShapeException("cannot reshape " + in.get(0) + " (" + in.get(0).numel()
                            + " elements) to " + r.shape() + " (" + n + " elements)");
                }
                yield in.get(0).withShape(r.shape());
            }
            case Flatten f -> {
                arity(op, in, 1, 1);
                TensorType x = in.get(0);
                int start = axis(op, f.startAxis(), Math.max(x.rank(), 1));
                List<Integer> shape = new ArrayList<>(x.shape().subList(0, start));
                long n = elements(x.shape().subList(start, x.rank()));
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw new ShapeException("flatten: " + x + " from axis " + f.startAxis() + " has too many elements for one axis");
                }
                shape.add((int) n);
                yield x.withShape(shape);
            }
            case Quantum q -> quantum(q, in);
            case Pad p -> {
                arity(op, in, 1, 1);
                TensorType x = in.get(0);
                if (p.pads().size() != 2 * x.rank()) {
                    throw new ShapeException("pad needs " + 2 * x.rank() + " amounts (before and after each of "
                            + x.rank() + " axes), got " + p.pads().size());
                }
                List<Integer> shape = new ArrayList<>();
                for (int i = 0; i < x.rank(); i++) {
                    long d = (long) x.dim(i) + p.pads().get(2 * i) + p.pads().get(2 * i + 1);
                    if (d <= 0) throw new ShapeException("padding makes axis " + i + " of " + x + " empty");
                    if (d > Integer.MAX_VALUE) throw new ShapeException("padding makes axis " + i + " of " + x + " too large");
                    shape.add((int) d);
                }
                yield x.withShape(shape);
            }
        };
    }

    /** The operands of a conv2d or linear without its fusion's extra operand, checking the count (min..max of its own). */
    private static List<TensorType> own(Op op, Fusion f, List<TensorType> in, int min, int max) throws ShapeException {
        int extra = f.extraOperands();
        if (extra == 0) return in;
        if (in.size() < min + extra || in.size() > max + extra) {
            throw new ShapeException(op.mnemonic() + " with an epilogue operand takes " + (min + extra) + " to " + (max + extra)
                    + " operands (its own, then the epilogue's), got " + in.size());
        }
        return in.subList(0, in.size() - extra);
    }

    /** The type of a conv2d or linear with fusion: its own result {@code y}; an epilogue operand must broadcast into it. */
    private static TensorType fused(Op op, Fusion f, TensorType y, List<TensorType> in) throws ShapeException {
        if (f.epilogue().orElse(null) instanceof Epilogue.WithOperand e) {
            TensorType z = in.get(in.size() - 1);
            boolean fits;
            try {
                fits = broadcast(op, y, z).equals(y);
            } catch (ShapeException notAtAll) {
                fits = false;
            }
            if (!fits) {
                throw new ShapeException(op.mnemonic() + ": the " + e.kind().text + " epilogue's operand " + z
                        + " does not broadcast to the result " + y + " without growing it");
            }
        }
        return y;
    }

    /** The product of non-negative dimensions, or -1 if it overflows a long. */
    private static long elements(List<Integer> dims) {
        long n = 1;
        for (int d : dims) {
            if (d != 0 && n > Long.MAX_VALUE / d) return -1;
            n *= d;
        }
        return n;
    }

    private static void arity(Op op, List<TensorType> in, int min, int max) throws ShapeException {
        if (in.size() < min || in.size() > max) {
            String want = min == max ? String.valueOf(min) : min + " to " + max;
            throw new ShapeException(op.mnemonic() + " takes " + want + " operands, got " + in.size());
        }
    }

    private static void floating(Op op, TensorType t) throws ShapeException {
        if (!t.dtype().isFloating()) {
            throw new ShapeException(op.mnemonic() + " needs a floating-point tensor, got " + t);
        }
    }

    private static TensorType rank(Op op, TensorType t, int rank, String what) throws ShapeException {
        if (t.rank() != rank) {
            throw new ShapeException(op.mnemonic() + " expects a rank-" + rank + " " + what + ", got " + t);
        }
        return t;
    }

    private static int axis(Op op, int axis, int rank) throws ShapeException {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op.mnemonic() + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    private static void sameDtype(Op op, TensorType a, TensorType b, String what) throws ShapeException {
        if (a.dtype() != b.dtype()) {
            throw new ShapeException(op.mnemonic() + ": " + what + " has element type " + b.dtype()
                    + " but the input has " + a.dtype());
        }
    }

    /** Output extent of a windowed op along one axis, or a message if the window does not fit. */
    public static int windowOut(int in, int kernel, int stride, int padBefore, int padAfter, int dilation, boolean ceil) {
        int span = dilation * (kernel - 1) + 1;
        int num = in + padBefore + padAfter - span;
        if (num < 0) return -1;
        int out = (ceil ? Math.floorDiv(num + stride - 1, stride) : Math.floorDiv(num, stride)) + 1;
        // PyTorch: the last window must start inside the input or left padding.
        if (ceil && (out - 1) * stride >= in + padBefore) out--;
        return out;
    }

    private static TensorType conv2d(Conv2d c, List<TensorType> in) throws ShapeException {
        arity(c, in, 2, 3);
        TensorType x = rank(c, in.get(0), 4, "input [N,C,H,W]");
        TensorType w = rank(c, in.get(1), 4, "weight [O,C/groups,KH,KW]");
        floating(c, x);
        sameDtype(c, x, w, "the weight");
        if (c.groups() <= 0) throw new ShapeException("conv2d: groups must be positive, got " + c.groups());
        positive(c, c.stride(), "stride");
        positive(c, c.dilation(), "dilation");
        nonNegative(c, c.padding());
        int cin = x.dim(1), cout = w.dim(0);
        if (cin % c.groups() != 0) {
            throw new ShapeException("conv2d: " + cin + " input channels are not divisible by groups=" + c.groups());
        }
        if (cout % c.groups() != 0) {
            throw new ShapeException("conv2d: " + cout + " output channels are not divisible by groups=" + c.groups());
        }
        if (w.dim(1) != cin / c.groups()) {
            throw new ShapeException("conv2d: weight " + w + " expects " + w.dim(1) * c.groups()
                    + " input channels but the input " + x + " has " + cin);
        }
        if (in.size() == 3) {
            TensorType b = in.get(2);
            if (b.rank() != 1 || b.dim(0) != cout) {
                throw new ShapeException("conv2d: bias must be [" + cout + "], got " + b);
            }
        }
        int oh = windowOut(x.dim(2), w.dim(2), c.stride().h(), c.padding().top(), c.padding().bottom(), c.dilation().h(), false);
        int ow = windowOut(x.dim(3), w.dim(3), c.stride().w(), c.padding().left(), c.padding().right(), c.dilation().w(), false);
        if (oh <= 0 || ow <= 0) {
            throw new ShapeException("conv2d: a " + w.dim(2) + "x" + w.dim(3) + " kernel does not fit the "
                    + x.dim(2) + "x" + x.dim(3) + " input with padding " + c.padding());
        }
        return x.withShape(List.of(x.dim(0), cout, oh, ow));
    }

    private static void positive(Op op, Hw hw, String what) throws ShapeException {
        if (hw.h() <= 0 || hw.w() <= 0) throw new ShapeException(op.mnemonic() + ": " + what + " must be positive, got " + hw);
    }

    private static void nonNegative(Op op, Pads p) throws ShapeException {
        if (p.top() < 0 || p.left() < 0 || p.bottom() < 0 || p.right() < 0) {
            throw new ShapeException(op.mnemonic() + ": padding must not be negative, got " + p);
        }
    }

    private static TensorType batchNorm(List<TensorType> in) throws ShapeException {
        Op op = new BatchNorm(0);
        arity(op, in, 5, 5);
        TensorType x = in.get(0);
        if (x.rank() < 2) throw new ShapeException("batch_norm expects an input with a channel axis, got " + x);
        floating(op, x);
        int c = x.dim(1);
        String[] names = {"weight", "bias", "running_mean", "running_var"};
        for (int i = 1; i < 5; i++) {
            TensorType p = in.get(i);
            if (p.rank() != 1 || p.dim(0) != c) {
                throw new ShapeException("batch_norm: " + names[i - 1] + " must be [" + c + "], got " + p);
            }
        }
        return x;
    }

    /** Numpy broadcasting of two shapes. */
    public static TensorType broadcast(Op op, TensorType a, TensorType b) throws ShapeException {
        if (a.dtype() != b.dtype()) {
            throw new ShapeException(op.mnemonic() + ": operands have different element types " + a + " and " + b);
        }
        int r = Math.max(a.rank(), b.rank());
        List<Integer> shape = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
            int db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op.mnemonic() + ": shapes " + a + " and " + b + " do not broadcast (axis "
                        + i + ": " + da + " vs " + db + ")");
            }
            shape.add(da == 1 ? db : da);
        }
        return a.withShape(shape);
    }

    private static TensorType concat(Concat c, List<TensorType> in) throws ShapeException {
        if (in.isEmpty()) throw new ShapeException("concat needs at least one operand");
        TensorType first = in.get(0);
        int ax = axis(c, c.axis(), first.rank());
        int total = 0;
        for (TensorType t : in) {
            if (t.rank() != first.rank() || t.dtype() != first.dtype()) {
                throw new ShapeException("concat: cannot join " + first + " and " + t);
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != ax && t.dim(i) != first.dim(i)) {
                    throw new ShapeException("concat along axis " + c.axis() + ": " + first + " and " + t
                            + " differ on axis " + i);
                }
            }
            total += t.dim(ax);
        }
        List<Integer> shape = new ArrayList<>(first.shape());
        shape.set(ax, total);
        return first.withShape(shape);
    }

    private static TensorType channelShuffle(ChannelShuffle s, List<TensorType> in) throws ShapeException {
        arity(s, in, 1, 1);
        TensorType x = rank(s, in.get(0), 4, "input [N,C,H,W]");
        if (s.groups() <= 0 || x.dim(1) % s.groups() != 0) {
            throw new ShapeException("channel_shuffle: " + x.dim(1) + " channels are not divisible by groups=" + s.groups());
        }
        return x;
    }

    private static TensorType pool(Pool2d p, List<TensorType> in) throws ShapeException {
        arity(p, in, 1, 1);
        TensorType x = rank(p, in.get(0), 4, "input [N,C,H,W]");
        positive(p, p.kernel(), "kernel");
        positive(p, p.stride(), "stride");
        nonNegative(p, p.padding());
        if (p.padding().top() * 2 > p.kernel().h() || p.padding().left() * 2 > p.kernel().w()
                || p.padding().bottom() * 2 > p.kernel().h() || p.padding().right() * 2 > p.kernel().w()) {
            throw new ShapeException(p.mnemonic() + ": padding " + p.padding() + " must be at most half the kernel " + p.kernel());
        }
        int oh = windowOut(x.dim(2), p.kernel().h(), p.stride().h(), p.padding().top(), p.padding().bottom(), 1, p.ceilMode());
        int ow = windowOut(x.dim(3), p.kernel().w(), p.stride().w(), p.padding().left(), p.padding().right(), 1, p.ceilMode());
        if (oh <= 0 || ow <= 0) {
            throw new ShapeException(p.mnemonic() + ": a " + p.kernel().h() + "x" + p.kernel().w()
                    + " window does not fit the " + x.dim(2) + "x" + x.dim(3) + " input");
        }
        return x.withShape(List.of(x.dim(0), x.dim(1), oh, ow));
    }

    /** A circuit layer: features [..., K] and params [P] give [..., numQubits]; the circuit must suit a layer. */
    private static TensorType quantum(Quantum q, List<TensorType> in) throws ShapeException {
        arity(q, in, 2, 2);
        tml.ir.quantum.Circuit c = q.circuit();
        TensorType x = in.get(0), w = in.get(1);
        if (x.rank() < 1) throw new ShapeException("quantum expects features of rank at least 1 ([..., " + c.numInputs() + "]), got " + x);
        floating(q, x);
        sameDtype(q, x, w, "the parameter vector");
        if (x.dim(-1) != c.numInputs()) {
            throw new ShapeException("quantum: circuit " + c.name() + " takes " + c.numInputs() + " input features but the input "
                    + x + " has " + x.dim(-1));
        }
        if (w.rank() != 1 || w.dim(0) != c.params().size()) {
            throw new ShapeException("quantum: circuit " + c.name() + " has " + c.params().size() + " parameters, so its parameter vector must be ["
                    + c.params().size() + "], got " + w);
        }
        String problem = quantumLayerProblem(c);
        if (problem != null) throw new ShapeException("quantum: circuit " + c.name() + " " + problem);
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, c.numQubits());
        return x.withShape(shape);
    }

    /**
     * Why a circuit cannot be a layer, or null: it must be valid ({@link tml.ir.quantum.CircuitVerifier}),
     * have at least one qubit, and be unitary up to terminal measurements (no reset, no condition, no
     * gate or second measurement on a qubit after it is measured, no classical bit written twice),
     * since a layer reads the expectations of the final state; the measurements are then ignored.
     */
    public static String quantumLayerProblem(tml.ir.quantum.Circuit c) {
        List<String> problems = tml.ir.quantum.CircuitVerifier.verify(c);
        if (!problems.isEmpty()) return "is not valid: " + String.join("; ", problems);
        if (c.numQubits() < 1) return "has no qubits";
        java.util.Set<Integer> measured = new java.util.HashSet<>(), written = new java.util.HashSet<>();
        for (tml.ir.quantum.Op op : c.ops()) {
            switch (op) {
                case tml.ir.quantum.Op.Gate g -> {
                    for (int qb : g.qubits()) {
                        if (measured.contains(qb)) return "applies " + g.kind().mnemonic() + " to q[" + qb + "] after measuring it; a layer needs a unitary circuit (measurements only at the end)";
                    }
                }
                case tml.ir.quantum.Op.Measure m -> {
                    if (!measured.add(m.qubit()) || !written.add(m.clbit())) {
                        return "measures q[" + m.qubit() + "] into c[" + m.clbit() + "] after that qubit or bit was already measured; a layer needs a unitary circuit (measurements only at the end)";
                    }
                }
                case tml.ir.quantum.Op.Barrier b -> { }
                case tml.ir.quantum.Op.Reset r -> { return "resets q[" + r.qubit() + "]; a layer needs a unitary circuit (measurements only at the end)"; }
                case tml.ir.quantum.Op.Conditional k -> { return "has a run-time condition; a layer needs a unitary circuit (measurements only at the end)"; }
            }
        }
        return null;
    }

    private static TensorType linear(List<TensorType> in) throws ShapeException {
        Op op = new Linear();
        arity(op, in, 2, 3);
        TensorType x = in.get(0), w = rank(op, in.get(1), 2, "weight [out,in]");
        if (x.rank() < 1) throw new ShapeException("linear expects an input of rank at least 1, got " + x);
        floating(op, x);
        sameDtype(op, x, w, "the weight");
        if (x.dim(-1) != w.dim(1)) {
            throw new ShapeException("linear: weight " + w + " expects " + w.dim(1) + " input features but the input "
                    + x + " has " + x.dim(-1));
        }
        if (in.size() == 3 && (in.get(2).rank() != 1 || in.get(2).dim(0) != w.dim(0))) {
            throw new ShapeException("linear: bias must be [" + w.dim(0) + "], got " + in.get(2));
        }
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, w.dim(0));
        return x.withShape(shape);
    }

    private static TensorType matmul(List<TensorType> in) throws ShapeException {
        Op op = new MatMul();
        arity(op, in, 2, 2);
        TensorType a = in.get(0), b = in.get(1);
        if (a.rank() < 2 || b.rank() < 2) throw new ShapeException("matmul needs operands of rank at least 2, got " + a + " and " + b);
        if (a.dim(-1) != b.dim(-2)) {
            throw new ShapeException("matmul: inner dimensions differ: " + a + " @ " + b);
        }
        TensorType batchA = a.withShape(a.shape().subList(0, a.rank() - 2));
        TensorType batchB = b.withShape(b.shape().subList(0, b.rank() - 2));
        TensorType batch = broadcast(op, batchA, batchB);
        List<Integer> shape = new ArrayList<>(batch.shape());
        shape.add(a.dim(-2));
        shape.add(b.dim(-1));
        return a.withShape(ImmutableList.copyOf(shape));
    }
}
