package tml.optimizer.quantum.search;

import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/** Gates in a circuit (conditional ones included) and how many of them act on two qubits. */
public record GateCounts(int total, int twoQubit) {
    public static GateCounts of(Circuit c) {
        int total = 0;
        for (Op op : c.ops()) if ((op instanceof Op.Conditional k ? k.body() : op) instanceof Op.Gate) total++;
        return new GateCounts(total, c.twoQubitGateCount());
    }

    @Override public String toString() { return total + " gates (" + twoQubit + " two-qubit)"; }
}
