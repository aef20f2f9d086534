package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Fluent construction of a {@link Circuit} (mostly for tests, examples and importers). */
public final class CircuitBuilder {
    private final String name;
    private final int numQubits;
    private int numClbits;
    private int numInputs;
    private final List<String> params = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    CircuitBuilder(String name, int numQubits) {
        this.name = name;
        this.numQubits = numQubits;
    }

    public CircuitBuilder clbits(int n) { numClbits = n; return this; }

    public CircuitBuilder inputs(int n) { numInputs = n; return this; }

    public CircuitBuilder params(String... names) { params.addAll(Arrays.asList(names)); return this; }

    public CircuitBuilder op(Op op) { ops.add(op); return this; }

    public CircuitBuilder gate(GateKind kind, int... qubits) { return op(Op.Gate.of(kind, qubits)); }

    public CircuitBuilder gate(GateKind kind, double angle, int... qubits) { return op(Op.Gate.of(kind, angle, qubits)); }

    public CircuitBuilder gate(GateKind kind, Angle angle, int... qubits) { return op(Op.Gate.of(kind, angle, qubits)); }

    public CircuitBuilder gate(GateKind kind, double[] angles, int... qubits) {
        return op(Op.Gate.of(kind, Arrays.stream(angles).mapToObj(Angle::of).collect(ImmutableList.toImmutableList()), qubits));
    }

    public CircuitBuilder h(int q) { return gate(GateKind.H, q); }

    public CircuitBuilder x(int q) { return gate(GateKind.X, q); }

    public CircuitBuilder z(int q) { return gate(GateKind.Z, q); }

    public CircuitBuilder cx(int control, int target) { return gate(GateKind.CX, control, target); }

    public CircuitBuilder cz(int a, int b) { return gate(GateKind.CZ, a, b); }

    public CircuitBuilder rx(Angle a, int q) { return gate(GateKind.RX, a, q); }

    public CircuitBuilder ry(Angle a, int q) { return gate(GateKind.RY, a, q); }

    public CircuitBuilder rz(Angle a, int q) { return gate(GateKind.RZ, a, q); }

    public CircuitBuilder measure(int qubit, int clbit) { return op(new Op.Measure(qubit, clbit)); }

    /** Measures qubit i into clbit i for every qubit, widening the classical bits if needed. */
    public CircuitBuilder measureAll() {
        numClbits = Math.max(numClbits, numQubits);
        for (int q = 0; q < numQubits; q++) measure(q, q);
        return this;
    }

    public CircuitBuilder reset(int q) { return op(new Op.Reset(q)); }

    public CircuitBuilder barrier(int... qubits) {
        return op(new Op.Barrier(ImmutableList.copyOf(Arrays.stream(qubits).boxed().toList())));
    }

    /** {@code body} guarded by: clbits [first, first+width) equal value. */
    public CircuitBuilder conditional(int firstClbit, int width, long value, Op body) {
        return op(new Op.Conditional(firstClbit, width, value, body));
    }

    public Circuit build() {
        return new Circuit(name, numQubits, numClbits, ImmutableList.copyOf(params), numInputs, ImmutableList.copyOf(ops));
    }
}
