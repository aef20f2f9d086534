package tml.ir.quantum;

import com.google.common.collect.ImmutableList;

/**
 * A quantum circuit: {@code numQubits} qubits starting in |0…0⟩, {@code numClbits} classical bits
 * starting at 0, named real parameters, {@code numInputs} input features ({@code x[i]}) and an
 * ordered list of ops. Immutable; two circuits are equal when they print identically.
 */
public record Circuit(String name, int numQubits, int numClbits, ImmutableList<String> params, int numInputs,
                      ImmutableList<Op> ops) {

    public Circuit {
        if (numQubits < 0 || numClbits < 0 || numInputs < 0) throw new IllegalArgumentException("negative size");
    }

    public static CircuitBuilder builder(String name, int numQubits) { return new CircuitBuilder(name, numQubits); }

    public Circuit withOps(ImmutableList<Op> newOps) { return new Circuit(name, numQubits, numClbits, params, numInputs, newOps); }

    public Circuit withName(String newName) { return new Circuit(newName, numQubits, numClbits, params, numInputs, ops); }

    public Circuit withNumQubits(int n) { return new Circuit(name, n, numClbits, params, numInputs, ops); }

    /** Index of a parameter in {@link #params()}, or -1. */
    public int paramIndex(String param) { return params.indexOf(param); }

    /** The gates (conditional ones excluded). */
    public ImmutableList<Op.Gate> gates() {
        return ops.stream().filter(o -> o instanceof Op.Gate).map(o -> (Op.Gate) o).collect(ImmutableList.toImmutableList());
    }

    /** Number of unconditional and conditional gates acting on exactly two qubits. */
    public int twoQubitGateCount() { return gateCountOnQubits(2); }

    /** Number of gates (also those under a condition) acting on exactly {@code k} qubits. */
    public int gateCountOnQubits(int k) {
        int n = 0;
        for (Op o : ops) {
            Op body = o instanceof Op.Conditional c ? c.body() : o;
            if (body instanceof Op.Gate g && g.kind().numQubits() == k) n++;
        }
        return n;
    }

    /** True when every op is a gate or a barrier (so the circuit has a unitary). */
    public boolean isUnitary() {
        return ops.stream().allMatch(o -> o instanceof Op.Gate || o instanceof Op.Barrier);
    }

    @Override public String toString() { return CircuitPrinter.print(this); }
}
