package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/** What a circuit accumulates while it is elaborated: qubits, trainable parameter names, inputs, ops. */
final class CircuitState {
    static final int MAX_QUBITS = 40;
    static final int MAX_OPS = 2_000_000;

    final String name;
    int qubits;
    int inputs;
    boolean hasInput;
    final List<String> params = new ArrayList<>();
    final List<Op> ops = new ArrayList<>();
    int clbits;

    CircuitState(String name) { this.name = name; }

    void add(Op op, tml.frontend.diag.Span at) {
        if (ops.size() >= MAX_OPS) throw new EvalError(at, "the circuit has more than " + MAX_OPS + " operations");
        ops.add(op);
    }

    Circuit build() {
        return new Circuit(name, qubits, clbits, ImmutableList.copyOf(params), inputs, ImmutableList.copyOf(ops));
    }
}
