package tml.optimizer.graph;

import java.util.Optional;
import tml.ir.graph.Node;
import tml.ir.graph.Op.Activation;
import tml.ir.graph.Op.Fusion;
import tml.optimizer.Model;
import tml.optimizer.Pass;

/**
 * Fuses an activation into the {@code conv2d} or {@code linear} that produces its operand:
 * {@code %c = conv2d(...); %r = relu(%c)} becomes {@code %c = conv2d(...) {..., activation = relu}}
 * in the activation's place, and uses of {@code %r} use {@code %c}. Applies when the producer has no
 * other user and no activation yet (an epilogue is fine: the activation runs after it). Exact: the
 * fused kernel rounds as the separate ops do.
 */
public final class FuseActivation implements Pass {
    public static final String NAME = "fuse-activation";

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Rewrite r = new Rewrite(model);
        for (Node original : model.graph().nodes()) {
            Node n = r.resolved(original);
            Node p = n.op() instanceof Activation ? r.producer(n.operands().get(0)).orElse(null) : null;
            Optional<Fusion> f = p == null ? Optional.empty() : Fusable.fusion(p.op());
            if (f.isPresent() && f.get().activation().isEmpty() && r.uses(p.name()) == 1) {
                Fusion fused = f.get().withActivation(((Activation) n.op()).kind());
                r.fuse(p, new Node(p.name(), Fusable.withFusion(p.op(), fused), p.operands(), p.type()), n.name());
            } else {
                r.emit(n);
            }
        }
        return r.finish();
    }
}
