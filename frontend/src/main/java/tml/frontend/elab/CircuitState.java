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
    /** While a run-time condition's body is elaborated, every op is guarded by it. */
    Value.CondV condition;
    /** True once a 'bits' register is declared: then measure(q) needs explicit bits only if sizes differ. */
    boolean declaredBits;

    CircuitState(String name) { this.name = name; }

    void add(Op op, tml.frontend.diag.Span at) {
        if (ops.size() >= MAX_OPS) throw new EvalError(at, "the circuit has more than " + MAX_OPS + " operations");
        if (condition != null) {
            if (op instanceof Op.Barrier) throw new EvalError(at, "a barrier cannot be conditional");
            op = new Op.Conditional(condition.firstClbit(), condition.width(), condition.value(), op);
        }
        ops.add(op);
    }

    Circuit build() {
        return new Circuit(name, qubits, clbits, ImmutableList.copyOf(params), inputs, ImmutableList.copyOf(ops));
    }
}
