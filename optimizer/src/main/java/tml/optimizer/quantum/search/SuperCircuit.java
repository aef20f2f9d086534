package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableSet;
import java.util.HashMap;
import java.util.Map;
import tml.ir.quantum.Circuit;

/**
 * A QuantumNAS SuperCircuit: a circuit family elaborated at the largest configuration of a search
 * space. Every SubCircuit (a smaller configuration) must use a subset of the SuperCircuit's
 * parameter names, so its weights are inherited by name (weight sharing), the same inputs, and no
 * more qubits. SubCircuits are elaborated once and kept.
 */
public final class SuperCircuit {
    private final SearchSpace space;
    private final CircuitFamily family;
    private final Circuit circuit;
    private final ImmutableSet<String> paramNames;
    private final Map<SubConfig, Circuit> subCircuits = new HashMap<>();

    public SuperCircuit(SearchSpace space, CircuitFamily family) {
        this.space = space;
        this.family = family;
        this.circuit = family.elaborate(space.largest());
        this.paramNames = ImmutableSet.copyOf(circuit.params());
        subCircuits.put(space.largest(), circuit);
    }

    public SearchSpace space() { return space; }

    /** The circuit at the largest configuration. */
    public Circuit circuit() { return circuit; }

    public SubConfig largestConfig() { return space.largest(); }

    /** The SubCircuit of a configuration; throws when it does not share the SuperCircuit's weights. */
    public Circuit subCircuit(SubConfig config) {
        Circuit c = subCircuits.get(config);
        if (c != null) return c;
        c = family.elaborate(config);
        check(config, c);
        subCircuits.put(config, c);
        return c;
    }

    private void check(SubConfig config, Circuit c) {
        if (c.numInputs() != circuit.numInputs()) {
            throw new IllegalArgumentException("the SubCircuit at " + config + " takes " + c.numInputs() + " inputs; the SuperCircuit takes " + circuit.numInputs());
        }
        if (c.numQubits() > circuit.numQubits()) {
            throw new IllegalArgumentException("the SubCircuit at " + config + " has " + c.numQubits() + " qubits, more than the SuperCircuit's " + circuit.numQubits());
        }
        for (String p : c.params()) {
            if (!paramNames.contains(p)) {
                throw new IllegalArgumentException("the SubCircuit at " + config + " has parameter '" + p + "', which the SuperCircuit at "
                        + space.largest() + " lacks: weights are shared by name, so every SubCircuit's parameters must be the SuperCircuit's");
            }
        }
    }
}
