package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import java.util.HashSet;

/**
 * A point of the QuantumNAS search: a SubCircuit configuration and a qubit mapping, given as a
 * permutation of the device's physical qubits whose first n entries place the SubCircuit's n
 * logical qubits (the rest are spare, so mutation can move a qubit onto an unused one).
 */
public record Candidate(SubConfig config, ImmutableList<Integer> mapping) {
    public Candidate {
        if (new HashSet<>(mapping).size() != mapping.size()) throw new IllegalArgumentException("mapping " + mapping + " is not a permutation");
    }

    /** The initial layout of an n-qubit SubCircuit: physical qubit of each logical qubit. */
    public ImmutableList<Integer> layout(int n) { return mapping.subList(0, n); }

    /** What distinguishes candidates for an n-qubit SubCircuit (spare mapping entries do not matter). */
    public String key(int n) { return config + " @ " + layout(n); }
}
