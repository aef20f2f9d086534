package tml.optimizer.graph;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.ir.graph.Node;
import tml.ir.graph.Op.BatchNorm;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Linear;
import tml.ir.graph.TensorType;
import tml.optimizer.Model;
import tml.optimizer.Pass;
import tml.runtime.Tensor;

/**
 * Folds an inference {@code batch_norm} into the {@code conv2d} or {@code linear} that produces its
 * input: with {@code s = gamma / sqrt(var + eps)}, the weight of output channel c becomes
 * {@code W[c] * s[c]} and the bias {@code (b[c] - mean[c]) * s[c] + beta[c]} (b = 0 without a bias),
 * computed in double and rounded once. The producer keeps its name and takes the batch norm's place;
 * the folded values are new computed params named after the originals
 * ({@code features.0.0.weight.folded}, {@code features.0.0.bias.folded}), so a weight shared with
 * another layer stays intact. The batch norm's params become dead ({@code eliminate-dead-code}).
 *
 * <p>Applies when the producer is unfused, has no other user, its weight and bias and the four batch
 * norm operands are params, and (for linear) its result is [N, features] so that the batch norm's
 * channel axis 1 is the feature axis.
 */
public final class FoldBatchNorm implements Pass {
    public static final String NAME = "fold-batch-norm";

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Rewrite r = new Rewrite(model);
        for (Node original : model.graph().nodes()) {
            Node n = r.resolved(original);
            Optional<Node> folded = n.op() instanceof BatchNorm bn ? fold(r, n, bn) : Optional.empty();
            if (folded.isPresent()) {
                r.fuse(r.producer(n.operands().get(0)).orElseThrow(), folded.get(), n.name());
            } else {
                r.emit(n);
            }
        }
        return r.finish();
    }

    private static Optional<Node> fold(Rewrite r, Node bn, BatchNorm op) {
        Node p = r.producer(bn.operands().get(0)).orElse(null);
        if (p == null || r.uses(p.name()) != 1) return Optional.empty();
        boolean linear = p.op() instanceof Linear l && l.fusion().isNone() && p.type().rank() == 2;
        boolean conv = p.op() instanceof Conv2d c && c.fusion().isNone();
        if (!linear && !conv) return Optional.empty();
        for (String s : bn.operands().subList(1, 5)) if (!r.isParam(s)) return Optional.empty();
        for (String s : p.operands().subList(1, p.operands().size())) if (!r.isParam(s)) return Optional.empty();

        String weightName = p.operands().get(1);
        Tensor w = r.weight(weightName);
        Tensor b = p.operands().size() > 2 ? r.weight(p.operands().get(2)) : null;
        Tensor gamma = r.weight(bn.operands().get(1)), beta = r.weight(bn.operands().get(2));
        Tensor mean = r.weight(bn.operands().get(3)), var = r.weight(bn.operands().get(4));
        int channels = w.dim(0), per = w.numel() / channels;
        float[] fw = new float[w.numel()], fb = new float[channels];
        for (int c = 0; c < channels; c++) {
            double scale = gamma.data()[c] / Math.sqrt((double) var.data()[c] + op.eps());
            for (int i = c * per; i < (c + 1) * per; i++) fw[i] = (float) (w.data()[i] * scale);
            double bias = b == null ? 0.0 : b.data()[c];
            fb[c] = (float) ((bias - mean.data()[c]) * scale + beta.data()[c]);
        }
        String newWeight = r.fresh(weightName + ".folded");
        String biasBase = p.operands().size() > 2 ? p.operands().get(2)
                : weightName.endsWith(".weight") ? weightName.substring(0, weightName.length() - ".weight".length()) + ".bias"
                : p.name() + ".bias";
        String newBias = r.fresh(biasBase + ".folded");
        r.addParam(newWeight, new TensorType(p.type().dtype(), w.shape()), Tensor.wrap(w.shape(), fw));
        r.addParam(newBias, new TensorType(p.type().dtype(), ImmutableList.of(channels)), Tensor.wrap(ImmutableList.of(channels), fb));
        return Optional.of(new Node(p.name(), p.op(), ImmutableList.of(p.operands().get(0), newWeight, newBias), p.type()));
    }
}
