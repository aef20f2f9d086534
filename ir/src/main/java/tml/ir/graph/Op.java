package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * The operations of the graph IR. Each is an immutable record of its attributes; operands and the
 * result type live on the {@link Node}. Adding an op means: a record here, its shape rule in
 * {@link ShapeRules}, its cost in {@link OpCost}, its textual form in the printer/parser, its kernel
 * in the reference interpreter, and a language builtin in the front end (see ir/README.md).
 */
public sealed interface Op {
    /** The name used in the textual IR and in TML source. */
    String mnemonic();

    /**
     * 2-D convolution. Operands: input [N,C,H,W], weight [O,C/groups,KH,KW], optional bias [O], then the
     * operand of an {@link Epilogue.WithOperand} epilogue if {@code fusion} has one.
     */
    record Conv2d(Hw stride, Pads padding, Hw dilation, int groups, Fusion fusion) implements Op {
        public Conv2d {
            java.util.Objects.requireNonNull(fusion, "fusion");
        }

        /** An unfused convolution. */
        public Conv2d(Hw stride, Pads padding, Hw dilation, int groups) { this(stride, padding, dilation, groups, Fusion.NONE); }

        public String mnemonic() { return "conv2d"; }

        public Conv2d withFusion(Fusion f) { return new Conv2d(stride, padding, dilation, groups, f); }
    }

    /** Inference batch norm. Operands: input [N,C,...], weight, bias, running_mean, running_var (all [C]). */
    record BatchNorm(double eps) implements Op {
        public String mnemonic() { return "batch_norm"; }
    }

    enum ActKind {
        RELU("relu"), RELU6("relu6"), HARDSWISH("hardswish"), HARDSIGMOID("hardsigmoid"),
        SIGMOID("sigmoid"), SILU("silu"), TANH("tanh");
        public final String text;
        ActKind(String text) { this.text = text; }
    }

    /** Elementwise activation of one operand. */
    record Activation(ActKind kind) implements Op {
        public String mnemonic() { return kind.text; }
    }

    enum BinKind {
        ADD("add"), SUB("sub"), MUL("mul"), DIV("div");
        public final String text;
        BinKind(String text) { this.text = text; }
    }

    /** Elementwise binary op of two operands with numpy-style broadcasting. */
    record Binary(BinKind kind) implements Op {
        public String mnemonic() { return kind.text; }
    }

    /** Elementwise op of one operand and a constant; {@code scalarLeft} means {@code scalar OP x}. */
    record BinaryScalar(BinKind kind, double scalar, boolean scalarLeft) implements Op {
        public String mnemonic() { return kind.text + "_scalar"; }
    }

    /** Concatenation of all operands along {@code axis}. */
    record Concat(int axis) implements Op {
        public String mnemonic() { return "concat"; }
    }

    /** ShuffleNet channel shuffle of an [N,C,H,W] tensor. */
    record ChannelShuffle(int groups) implements Op {
        public String mnemonic() { return "channel_shuffle"; }
    }

    enum PoolKind {
        MAX("max_pool2d"), AVG("avg_pool2d");
        public final String text;
        PoolKind(String text) { this.text = text; }
    }

    /** Windowed 2-D pooling of [N,C,H,W]. Average pooling divides by the window size including padding iff countIncludePad. */
    record Pool2d(PoolKind kind, Hw kernel, Hw stride, Pads padding, boolean ceilMode, boolean countIncludePad) implements Op {
        public String mnemonic() { return kind.text; }
    }

    /** Mean over H and W of [N,C,H,W], giving [N,C,1,1]. */
    record GlobalAvgPool() implements Op {
        public String mnemonic() { return "global_avg_pool"; }
    }

    /**
     * Fully connected layer. Operands: input [..., in], weight [out, in], optional bias [out], then the
     * operand of an {@link Epilogue.WithOperand} epilogue if {@code fusion} has one.
     */
    record Linear(Fusion fusion) implements Op {
        public Linear {
            java.util.Objects.requireNonNull(fusion, "fusion");
        }

        /** An unfused linear layer. */
        public Linear() { this(Fusion.NONE); }

        public String mnemonic() { return "linear"; }

        public Linear withFusion(Fusion f) { return new Linear(f); }
    }

    /**
     * Elementwise work fused into a {@link Conv2d} or {@link Linear} (written by the optimizer, see
     * optimizer/README.md). The op computes its sum and bias {@code y}, then {@code y = y OP z} if there
     * is an epilogue, then {@code y = act(y)} if there is an activation, each step rounded to float as
     * the separate ops would be, so a fused node gives the same values as the ops it replaces.
     */
    record Fusion(Optional<Epilogue> epilogue, Optional<ActKind> activation) {
        public static final Fusion NONE = new Fusion(Optional.empty(), Optional.empty());

        public Fusion {
            java.util.Objects.requireNonNull(epilogue, "epilogue");
            java.util.Objects.requireNonNull(activation, "activation");
        }

        public boolean isNone() { return epilogue.isEmpty() && activation.isEmpty(); }

        public Fusion withEpilogue(Epilogue e) { return new Fusion(Optional.of(e), activation); }

        public Fusion withActivation(ActKind k) { return new Fusion(epilogue, Optional.of(k)); }

        /** How many operands the fusion adds after the op's own (1 for an epilogue with an operand). */
        public int extraOperands() { return epilogue.orElse(null) instanceof Epilogue.WithOperand ? 1 : 0; }
    }

    /** The elementwise step of a {@link Fusion}: the accumulator {@code y} is always the left operand. */
    sealed interface Epilogue {
        BinKind kind();

        /** {@code y OP z}, z the node's last operand, broadcast to y's shape (it must not grow it). */
        record WithOperand(BinKind kind) implements Epilogue {}

        /** {@code y OP s}, the scalar rounded to float first as {@link BinaryScalar} does. */
        record WithScalar(BinKind kind, double scalar) implements Epilogue {}
    }

    /** Matrix product of [..., m, k] and [..., k, n] with broadcast batch dimensions. */
    record MatMul() implements Op {
        public String mnemonic() { return "matmul"; }
    }

    /** Softmax along {@code axis}. */
    record Softmax(int axis) implements Op {
        public String mnemonic() { return "softmax"; }
    }

    /** Reinterprets the row-major data with a new shape of the same element count. */
    record Reshape(ImmutableList<Integer> shape) implements Op {
        public String mnemonic() { return "reshape"; }
    }

    /** Collapses the axes from {@code startAxis} to the last into one. */
    record Flatten(int startAxis) implements Op {
        public String mnemonic() { return "flatten"; }
    }

    /** Constant padding: {@code pads} holds (before, after) for every axis, 2*rank entries. */
    record Pad(ImmutableList<Integer> pads, double value) implements Op {
        public String mnemonic() { return "pad"; }
    }

    /** Dropout with drop probability p: the identity at inference. */
    record Dropout(double p) implements Op {
        public String mnemonic() { return "dropout"; }
    }

    /**
     * A parameterised quantum circuit used as a layer (hybrid models). Operands: the features
     * {@code [..., K]} with K = {@code circuit.numInputs()} (row r binds {@code x[0..K-1]}), then the
     * circuit's trainable parameters as one vector {@code [P]}, P = {@code circuit.params().size()},
     * in {@code circuit.params()} order. Result {@code [..., numQubits]}: for every row, the Pauli-Z
     * expectation ⟨Z_q⟩ of each qubit q (q = 0 first) in the circuit's final state from |0…0⟩,
     * computed exactly (statevector), in [-1, 1]. The circuit must be unitary up to terminal
     * measurements, which are ignored (no reset, condition, or gate after a measurement): see
     * {@link ShapeRules}. Written {@code quantum(%x, @w) {circuit = "circuit c qubits 4 ... { ... }"}}.
     */
    record Quantum(tml.ir.quantum.Circuit circuit) implements Op {
        public Quantum {
            java.util.Objects.requireNonNull(circuit, "circuit");
        }

        public String mnemonic() { return "quantum"; }
    }
}
