package tml.optimizer.quantum;

import tml.ir.quantum.Circuit;

/** A circuit-to-circuit transformation with a name (for -O pipelines, logs and diagnostics). */
public interface CircuitPass {
    String name();

    /** The transformed circuit; it has the same qubits, parameters and classical bits unless the pass says otherwise. */
    Circuit run(Circuit c);
}
