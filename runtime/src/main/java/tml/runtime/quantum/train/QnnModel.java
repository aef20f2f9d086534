package tml.runtime.quantum.train;

import java.util.Optional;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * A quantum neural network: a circuit (input features x[i], trainable parameters) whose outputs are
 * the Pauli-Z expectations of its qubits, optionally normalized over the batch and quantized
 * (QuantumNAT), then read out as the logits of {@code numClasses} classes (see {@link Readout}) for a
 * softmax cross-entropy loss.
 */
public record QnnModel(Circuit circuit, int numClasses, Readout readout, boolean normalize, Optional<Quantizer> quantizer) {
    public QnnModel {
        String why = problem(circuit, numClasses, readout);
        if (why != null) throw new IllegalArgumentException(why);
    }

    /** Null when a model can be built from these, else the reason. */
    public static String problem(Circuit circuit, int numClasses, Readout readout) {
        for (Op op : circuit.ops()) {
            if (!(op instanceof Op.Gate || op instanceof Op.Barrier || op instanceof Op.Measure)) {
                return "circuit " + circuit.name() + " cannot be trained: it resets or has conditions (training needs gates only)";
            }
        }
        boolean measured = false;
        for (Op op : circuit.ops()) {
            if (op instanceof Op.Measure) measured = true;
            else if (measured && op instanceof Op.Gate) return "circuit " + circuit.name() + " cannot be trained: it measures before its last gate";
        }
        if (circuit.params().isEmpty()) return "circuit " + circuit.name() + " has no trainable parameters (declare some with 'param')";
        return readout.check(circuit.numQubits(), numClasses);
    }

    public int numQubits() { return circuit.numQubits(); }

    public int numParams() { return circuit.params().size(); }

    /** The circuit without measurements (outputs are expectation values). */
    public Circuit unitary() {
        return circuit.withOps(circuit.ops().stream().filter(o -> !(o instanceof Op.Measure))
                .collect(com.google.common.collect.ImmutableList.toImmutableList()));
    }
}
