package tml.optimizer.graph;

import java.util.ArrayList;
import java.util.List;
import tml.ir.graph.Node;
import tml.optimizer.Model;
import tml.optimizer.Pass;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * Evaluates every node whose operands are all params with the reference interpreter's kernel
 * ({@link Interpreter#apply}, float32 accumulation as the default interpreter) and turns it into a
 * computed param of the same name, so its users read it as {@code @name}. Nodes fold in order, so
 * chains of constant nodes fold completely. A node whose result has more elements than its operands
 * together (a pad or a broadcast of a small constant) stays: it is cheaper to compute than to store.
 */
public final class FoldConstants implements Pass {
    public static final String NAME = "fold-constants";

    private static final Interpreter INTERPRETER = new Interpreter(Accumulation.F32, false);

    @Override public String name() { return NAME; }

    @Override public Model run(Model model) {
        Rewrite r = new Rewrite(model);
        for (Node original : model.graph().nodes()) {
            Node n = r.resolved(original);
            boolean constant = !n.operands().isEmpty();
            long operandElements = 0;
            List<Tensor> values = new ArrayList<>();
            for (String o : n.operands()) {
                if (!r.isParam(o)) {
                    constant = false;
                    break;
                }
                values.add(r.weight(o));
                operandElements += r.weight(o).numel();
            }
            if (constant && n.type().numel() <= operandElements) {
                r.addParam(n.name(), n.type(), INTERPRETER.apply(n.op(), values));
            } else {
                r.emit(n);
            }
        }
        return r.finish();
    }
}
