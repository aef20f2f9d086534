package tml.optimizer.quantum;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import tml.ir.quantum.Op;

/**
 * The working state of the adjacency-based passes: ops in order (null where removed) and, per
 * qubit, a stack of the live ops on that wire. The op directly before a new gate on all of its
 * wires is the common top of their stacks.
 */
final class WireStacks {
    final List<Op> ops = new ArrayList<>();
    private final List<Deque<Integer>> stacks = new ArrayList<>();

    WireStacks(int numQubits) {
        for (int q = 0; q < numQubits; q++) stacks.add(new ArrayDeque<>());
    }

    /** Index of the op directly preceding on every wire of {@code qubits}, or -1. */
    int commonTop(List<Integer> qubits) {
        int top = -2;
        for (int q : qubits) {
            Integer t = stacks.get(q).peek();
            if (t == null) return -1;
            if (top == -2) top = t;
            else if (top != t) return -1;
        }
        return top < 0 ? -1 : top;
    }

    void push(Op op) {
        int i = ops.size();
        ops.add(op);
        for (int q : op.qubits()) stacks.get(q).push(i);
    }

    /** Removes op i, which must be on top of all its wires. */
    void removeTop(int i) {
        for (int q : ops.get(i).qubits()) {
            Integer t = stacks.get(q).pop();
            if (t != i) throw new IllegalStateException("op " + i + " is not on top of wire " + q);
        }
        ops.set(i, null);
    }

    /** Replaces op i by one on the same qubits. */
    void replace(int i, Op op) { ops.set(i, op); }

    List<Op> live() { return ops.stream().filter(o -> o != null).toList(); }
}
