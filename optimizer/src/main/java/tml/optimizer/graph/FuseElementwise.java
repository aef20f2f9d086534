package tml.optimizer.graph;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.ir.graph.Node;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.Binary;
import tml.ir.graph.Op.BinaryScalar;
import tml.ir.graph.Op.Epilogue;
import tml.ir.graph.Op.Fusion;
import tml.optimizer.Model;
import tml.optimizer.Pass;

/**
 * Fuses an elementwise binary op into the {@code conv2d} or {@code linear} producing one of its
 * operands, as an epilogue: {@code %c = conv2d(%x, @w, @b); %s = add(%c, %skip)} (a residual add)
 * becomes {@code %c = conv2d(%x, @w, @b, %skip) {..., epilogue = add}} in the add's place, and
 * {@code mul_scalar(%c)} becomes {@code epilogue = mul_scalar, scalar = ...}. Applies when the
 * producer has no other user and no fusion yet, the result has the producer's shape (the other
 * operand broadcasts into it), and the producer is the left operand unless the op commutes
 * (add, mul). Exact: the fused kernel rounds as the separate ops do. Run before
 * {@code fuse-activation} so that conv, add, relu become one node.
 */
public final class FuseElementwise implements Pass {
    public static final String NAME = "fuse-elementwise";

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Rewrite r = new Rewrite(model);
        for (Node original : model.graph().nodes()) {
            Node n = r.resolved(original);
            if (!tryFuse(r, n)) r.emit(n);
        }
        return r.finish();
    }

    private static boolean tryFuse(Rewrite r, Node n) {
        switch (n.op()) {
            case Binary b -> {
                String left = n.operands().get(0), right = n.operands().get(1);
                if (left.equals(right)) return false;
                return fuse(r, n, left, Optional.of(right), new Epilogue.WithOperand(b.kind()))
                        || (commutes(b.kind()) && fuse(r, n, right, Optional.of(left), new Epilogue.WithOperand(b.kind())));
            }
            case BinaryScalar s -> {
                if (s.scalarLeft() && !commutes(s.kind())) return false;
                return fuse(r, n, n.operands().get(0), Optional.empty(), new Epilogue.WithScalar(s.kind(), s.scalar()));
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean commutes(BinKind k) { return k == BinKind.ADD || k == BinKind.MUL; }

    /** Fuses {@code n} into the producer of {@code value} if it qualifies, with {@code other} as the extra operand. */
    private static boolean fuse(Rewrite r, Node n, String value, Optional<String> other, Epilogue e) {
        Node p = r.producer(value).orElse(null);
        if (p == null || r.uses(p.name()) != 1 || !p.type().equals(n.type())) return false;
        Optional<Fusion> f = Fusable.fusion(p.op());
        if (f.isEmpty() || !f.get().isNone()) return false;
        ImmutableList.Builder<String> ops = ImmutableList.<String>builder().addAll(p.operands());
        other.ifPresent(ops::add);
        r.fuse(p, new Node(p.name(), Fusable.withFusion(p.op(), f.get().withEpilogue(e)), ops.build(), p.type()), n.name());
        return true;
    }
}
