package tml.optimizer.graph;

import com.google.common.collect.ImmutableList;
import java.util.HashMap;
import java.util.Map;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.optimizer.Model;
import tml.optimizer.Pass;

/**
 * Replaces a node by an earlier one with the same op (all attributes, fusion included; doubles
 * compared bitwise) and the same operands in the same order: its users use the earlier node. Every
 * op of the graph IR is a pure function of its operands, so this is exact. Runs in one walk, so
 * duplicates of duplicates merge too. Params with equal values are not merged.
 */
public final class EliminateCommonSubexpressions implements Pass {
    public static final String NAME = "eliminate-common-subexpressions";

    private record Key(Op op, ImmutableList<String> operands) {}

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Rewrite r = new Rewrite(model);
        Map<Key, String> seen = new HashMap<>();
        for (Node original : model.graph().nodes()) {
            Node n = r.resolved(original);
            String earlier = seen.putIfAbsent(new Key(n.op(), n.operands()), n.name());
            if (earlier != null) {
                r.rename(n.name(), earlier);
            } else {
                r.emit(n);
            }
        }
        return r.finish();
    }
}
