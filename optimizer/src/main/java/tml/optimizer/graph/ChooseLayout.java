package tml.optimizer.graph;

import tml.ir.graph.Layout;
import tml.optimizer.Model;
import tml.optimizer.Pass;

/**
 * Records the activation layout code generation will use for the target, as the graph's
 * {@code layout} attribute ({@code graph @Net attributes {layout = nhwc} {...}}). Only the annotation
 * changes: shapes, attributes and weights stay in the logical NCHW order that the interpreter runs,
 * and the backends read the annotation to store rank-4 activations (and lay out weights) accordingly.
 *
 * <p>Policy: {@code interp} keeps NCHW (PyTorch's order, the reference); every native target
 * ({@code host}, {@code cortex-m4}, {@code cortex-m7}, {@code cortex-m33}, ...) gets NHWC, the layout
 * in which depthwise and pointwise convolutions, the bulk of mobile networks, vectorise over
 * contiguous channels (what CMSIS-NN, XNNPACK and TFLite use).
 */
public final class ChooseLayout implements Pass {
    public static final String NAME = "choose-layout";

    private final String target;

    public ChooseLayout(String target) { this.target = target; }

    /** The layout for a target name (see the class comment). */
    public static Layout layoutFor(String target) {
        return target.equals("interp") ? Layout.NCHW : Layout.NHWC;
    }

    public String target() { return target; }

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        return new Model(model.graph().withLayout(layoutFor(target)), model.weights());
    }
}
