package tml.optimizer.quantum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * Dependencies between the ops of a circuit: op j depends on the previous op on each qubit and
 * on each classical bit it writes (measure) or reads (condition).
 */
final class CircuitDag {
    final List<Op> ops;
    final int[] indegree;
    final int[][] successors;

    CircuitDag(Circuit c, List<Op> ops) {
        this.ops = ops;
        int wires = c.numQubits() + c.numClbits();
        int[] last = new int[wires];
        Arrays.fill(last, -1);
        List<List<Integer>> succ = new ArrayList<>();
        indegree = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            succ.add(new ArrayList<>());
            for (int w : wires(c, ops.get(i))) {
                int p = last[w];
                if (p >= 0 && !succ.get(p).contains(i)) {
                    succ.get(p).add(i);
                    indegree[i]++;
                }
                last[w] = i;
            }
        }
        successors = new int[ops.size()][];
        for (int i = 0; i < ops.size(); i++) successors[i] = succ.get(i).stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Integer> wires(Circuit c, Op op) {
        List<Integer> w = new ArrayList<>(op.qubits());
        int n = c.numQubits();
        switch (op) {
            case Op.Measure m -> w.add(n + m.clbit());
            case Op.Conditional k -> {
                for (int b = 0; b < k.width(); b++) w.add(n + k.firstClbit() + b);
                if (k.body() instanceof Op.Measure m && (m.clbit() < k.firstClbit() || m.clbit() >= k.firstClbit() + k.width())) w.add(n + m.clbit());
            }
            default -> {}
        }
        return w;
    }
}
