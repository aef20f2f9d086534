package tml.ir.graph;

import java.util.List;
import tml.ir.graph.Op.*;

/** Multiply-accumulate counts of operators, counted as the papers do (conv and linear/matmul MACs only). */
public final class OpCost {
    private OpCost() {}

    public static long macs(Op op, List<TensorType> in, TensorType out) {
        return switch (op) {
            case Conv2d c -> {
                TensorType w = in.get(1);
                yield out.numel() * w.dim(1) * w.dim(2) * w.dim(3);
            }
            case Linear l -> out.numel() * in.get(1).dim(1);
            case MatMul m -> out.numel() * in.get(0).dim(-1);
            case Quantum q -> 0; // gate applications are not multiply-accumulates of the network
            default -> 0;
        };
    }

    public static long macs(Graph g, Node n) {
        var types = g.types();
        return macs(n.op(), n.operands().stream().map(types::get).toList(), n.type());
    }
}
