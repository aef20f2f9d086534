package tml.ir.graph;

/**
 * The memory layout that code generation uses for the rank-4 activations of a graph. The graph
 * itself is always written in the logical NCHW order (shapes, attributes, the interpreter); a layout
 * chosen by the optimizer's {@code choose-layout} pass only tells the backends how to store
 * activations, and is printed as {@code graph @Net attributes {layout = nhwc} { ... }}.
 */
public enum Layout {
    /** Channels first: PyTorch's and the interpreter's order. */
    NCHW("nchw"),
    /** Channels last: what CMSIS-NN and most CPU kernels for depthwise/pointwise convolutions use. */
    NHWC("nhwc");

    public final String text;

    Layout(String text) { this.text = text; }

    public static java.util.Optional<Layout> fromText(String text) {
        for (Layout l : values()) if (l.text.equals(text)) return java.util.Optional.of(l);
        return java.util.Optional.empty();
    }
}
