package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;

/**
 * The operations of a quantum circuit. Qubits and classical bits are flat indices; the printer
 * writes them {@code q[i]} and {@code c[i]}.
 */
public sealed interface Op {

    /** Qubits this op touches, in operand order. */
    ImmutableList<Integer> qubits();

    /**
     * A unitary gate. Arity (angle and qubit counts) is checked here; index ranges, distinct
     * qubits and symbols are checked by {@link CircuitVerifier}.
     */
    record Gate(GateKind kind, ImmutableList<Angle> angles, ImmutableList<Integer> qubits) implements Op {
        public Gate {
            if (angles.size() != kind.numAngles())
                throw new IllegalArgumentException(kind.mnemonic() + " takes " + kind.numAngles() + " angle(s), got " + angles.size());
            if (qubits.size() != kind.numQubits())
                throw new IllegalArgumentException(kind.mnemonic() + " acts on " + kind.numQubits() + " qubit(s), got " + qubits.size());
        }

        public static Gate of(GateKind kind, int... qubits) {
            return new Gate(kind, ImmutableList.of(), ImmutableList.copyOf(Arrays.stream(qubits).boxed().toList()));
        }

        public static Gate of(GateKind kind, ImmutableList<Angle> angles, int... qubits) {
            return new Gate(kind, angles, ImmutableList.copyOf(Arrays.stream(qubits).boxed().toList()));
        }

        public static Gate of(GateKind kind, double angle, int... qubits) {
            return of(kind, ImmutableList.of(Angle.of(angle)), qubits);
        }

        public static Gate of(GateKind kind, Angle angle, int... qubits) {
            return of(kind, ImmutableList.of(angle), qubits);
        }

        /** True when every angle is a constant. */
        public boolean isNumeric() { return angles.stream().allMatch(Angle::isConstant); }

        public Gate withAngles(ImmutableList<Angle> newAngles) { return new Gate(kind, newAngles, qubits); }

        public Gate withQubits(ImmutableList<Integer> newQubits) { return new Gate(kind, angles, newQubits); }
    }

    /** Measures {@code qubit} in the computational basis into classical bit {@code clbit}. */
    record Measure(int qubit, int clbit) implements Op {
        public ImmutableList<Integer> qubits() { return ImmutableList.of(qubit); }
    }

    /** Resets {@code qubit} to |0⟩. */
    record Reset(int qubit) implements Op {
        public ImmutableList<Integer> qubits() { return ImmutableList.of(qubit); }
    }

    /** An ordering fence over the listed qubits; no effect on the state. */
    record Barrier(ImmutableList<Integer> qubits) implements Op {}

    /**
     * Runs {@code body} (a gate, measure or reset) iff classical bits {@code firstClbit ..
     * firstClbit+width-1}, read as an unsigned integer with the first bit least significant, equal
     * {@code value}: OpenQASM 2's {@code if (c == value)} on a register.
     */
    record Conditional(int firstClbit, int width, long value, Op body) implements Op {
        public Conditional {
            if (body instanceof Conditional || body instanceof Barrier)
                throw new IllegalArgumentException("a condition guards a gate, measure or reset, not " + body);
        }

        public ImmutableList<Integer> qubits() { return body.qubits(); }
    }
}
