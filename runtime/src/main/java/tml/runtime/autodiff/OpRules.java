package tml.runtime.autodiff;

import java.util.List;
import tml.ir.graph.Op;
import tml.ir.graph.Op.*;

/**
 * The forward value and the backward rule of every graph-IR op in float64 (the switches are
 * exhaustive, so a new op does not compile until it has both). A {@code conv2d} or {@code linear}
 * with a {@link Fusion} runs its own sum, then the epilogue, then the activation; its backward
 * recomputes those intermediate values and goes back through them in reverse order.
 */
final class OpRules {
    private OpRules() {}

    static DoubleTensor forward(Op op, List<DoubleTensor> in) {
        return switch (op) {
            case Conv2d c -> fused(c.fusion(), ConvRules.forward(c, in.get(0), in.get(1), bias(in, c.fusion())), in);
            case BatchNorm b -> ElementwiseRules.batchNorm(b, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
            case Activation a -> ElementwiseRules.activation(a.kind(), in.get(0));
            case Binary b -> ElementwiseRules.binary(b.kind(), in.get(0), in.get(1));
            case BinaryScalar b -> ElementwiseRules.scalar(b, in.get(0));
            case Concat c -> LayoutRules.concat(in, c.axis());
            case ChannelShuffle s -> LayoutRules.channelShuffle(in.get(0), s.groups(), false);
            case Pool2d p -> PoolRules.pool(p, in.get(0));
            case GlobalAvgPool g -> PoolRules.globalAvgPool(in.get(0));
            case Linear l -> fused(l.fusion(), LinearRules.linear(in.get(0), in.get(1), bias(in, l.fusion())), in);
            case MatMul m -> LinearRules.matmul(in.get(0), in.get(1));
            case Softmax s -> LayoutRules.softmax(in.get(0), s.axis());
            case Reshape r -> in.get(0).reshape(r.shape());
            case Flatten f -> in.get(0).reshape(flattened(in.get(0), f.startAxis()));
            case Pad p -> LayoutRules.pad(in.get(0), p.pads(), (float) p.value(), in.get(0).shape(), false);
            case Dropout d -> in.get(0);
            case Quantum q -> QuantumRules.forward(q.circuit(), in.get(0), in.get(1));
        };
    }

    /**
     * The gradient of each operand (index-aligned with {@code in}) given the operands, the op's
     * result {@code out} and the gradient {@code g} of a scalar loss with respect to that result.
     */
    static DoubleTensor[] backward(Op op, List<DoubleTensor> in, DoubleTensor out, DoubleTensor g) {
        return switch (op) {
            case Conv2d c -> fusedBackward(c.fusion(), in, g, ConvRules.forward(c, in.get(0), in.get(1), bias(in, c.fusion())),
                    gBase -> ConvRules.backward(c, in.get(0), in.get(1), bias(in, c.fusion()) != null, gBase));
            case BatchNorm b -> ElementwiseRules.batchNormBackward(b, in.get(0), in.get(1), in.get(3), in.get(4), g);
            case Activation a -> new DoubleTensor[] {ElementwiseRules.activationBackward(a.kind(), in.get(0), g)};
            case Binary b -> ElementwiseRules.binaryBackward(b.kind(), in.get(0), in.get(1), g);
            case BinaryScalar b -> new DoubleTensor[] {ElementwiseRules.scalarBackward(b, in.get(0), g)};
            case Concat c -> LayoutRules.concatBackward(in, c.axis(), g);
            case ChannelShuffle s -> new DoubleTensor[] {LayoutRules.channelShuffle(g, s.groups(), true)};
            case Pool2d p -> new DoubleTensor[] {PoolRules.poolBackward(p, in.get(0), g)};
            case GlobalAvgPool gap -> new DoubleTensor[] {PoolRules.globalAvgPoolBackward(in.get(0), g)};
            case Linear l -> fusedBackward(l.fusion(), in, g, LinearRules.linear(in.get(0), in.get(1), bias(in, l.fusion())),
                    gBase -> LinearRules.linearBackward(in.get(0), in.get(1), bias(in, l.fusion()) != null, gBase));
            case MatMul m -> LinearRules.matmulBackward(in.get(0), in.get(1), g);
            case Softmax s -> new DoubleTensor[] {LayoutRules.softmaxBackward(out, s.axis(), g)};
            case Reshape r -> new DoubleTensor[] {g.reshape(in.get(0).shape())};
            case Flatten f -> new DoubleTensor[] {g.reshape(in.get(0).shape())};
            case Pad p -> new DoubleTensor[] {LayoutRules.pad(g, p.pads(), 0, in.get(0).shape(), true)};
            case Dropout d -> new DoubleTensor[] {g};
            case Quantum q -> QuantumRules.backward(q.circuit(), in.get(0), in.get(1), g);
        };
    }

    /** The bias of a conv2d or linear (operand 2 unless that is the epilogue's operand), or null. */
    private static DoubleTensor bias(List<DoubleTensor> in, Fusion f) { return in.size() - f.extraOperands() > 2 ? in.get(2) : null; }

    private static List<Integer> flattened(DoubleTensor x, int startAxis) {
        int start = startAxis < 0 ? startAxis + Math.max(x.rank(), 1) : startAxis;
        List<Integer> shape = new java.util.ArrayList<>(x.shape().subList(0, Math.min(start, x.rank())));
        shape.add(Offsets.product(x.shape(), Math.min(start, x.rank()), x.rank()));
        return shape;
    }

    /** The epilogue applied to the op's own result {@code y}: {@code y OP z} or {@code y OP s}. */
    private static DoubleTensor epilogue(Epilogue e, DoubleTensor y, List<DoubleTensor> in) {
        return switch (e) {
            case Epilogue.WithOperand o -> ElementwiseRules.binary(o.kind(), y, in.get(in.size() - 1));
            case Epilogue.WithScalar s -> ElementwiseRules.scalar(new BinaryScalar(s.kind(), s.scalar(), false), y);
        };
    }

    private static DoubleTensor fused(Fusion f, DoubleTensor y, List<DoubleTensor> in) {
        DoubleTensor e = f.epilogue().isPresent() ? epilogue(f.epilogue().get(), y, in) : y;
        return f.activation().isPresent() ? ElementwiseRules.activation(f.activation().get(), e) : e;
    }

    /**
     * Back through the activation and the epilogue to the op's own result {@code base}, then through
     * the op ({@code own}); the epilogue operand's gradient is appended last.
     */
    private static DoubleTensor[] fusedBackward(Fusion f, List<DoubleTensor> in, DoubleTensor g, DoubleTensor base,
                                                java.util.function.Function<DoubleTensor, DoubleTensor[]> own) {
        DoubleTensor gE = g, gZ = null;
        if (f.activation().isPresent()) {
            DoubleTensor e = f.epilogue().isPresent() ? epilogue(f.epilogue().get(), base, in) : base;
            gE = ElementwiseRules.activationBackward(f.activation().get(), e, g);
        }
        DoubleTensor gBase = gE;
        if (f.epilogue().orElse(null) instanceof Epilogue.WithOperand o) {
            DoubleTensor[] both = ElementwiseRules.binaryBackward(o.kind(), base, in.get(in.size() - 1), gE);
            gBase = both[0];
            gZ = both[1];
        } else if (f.epilogue().orElse(null) instanceof Epilogue.WithScalar s) {
            gBase = ElementwiseRules.scalarBackward(new BinaryScalar(s.kind(), s.scalar(), false), base, gE);
        }
        DoubleTensor[] ownGrads = own.apply(gBase);
        if (gZ == null) return ownGrads;
        DoubleTensor[] all = java.util.Arrays.copyOf(ownGrads, ownGrads.length + 1);
        all[ownGrads.length] = gZ;
        return all;
    }
}
