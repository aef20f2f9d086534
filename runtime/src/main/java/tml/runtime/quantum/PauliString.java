package tml.runtime.quantum;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;

/**
 * {@code coefficient · P_{q_k} ⊗ … ⊗ P_{q_0}}: a weighted tensor product of Paulis on some qubits
 * (identity elsewhere). {@link #parse} reads Qiskit labels, whose rightmost letter is qubit 0.
 */
public record PauliString(double coefficient, ImmutableSortedMap<Integer, Pauli> ops) {
    public PauliString {
        if (!Double.isFinite(coefficient)) throw new IllegalArgumentException("coefficient is not finite");
        for (Map.Entry<Integer, Pauli> e : ops.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= StateVector.MAX_QUBITS) throw new IllegalArgumentException("bad qubit " + e.getKey());
            if (e.getValue() == Pauli.I) throw new IllegalArgumentException("identity factors are implicit");
        }
    }

    /** Z on one qubit. */
    public static PauliString z(int qubit) { return new PauliString(1, ImmutableSortedMap.of(qubit, Pauli.Z)); }

    public static PauliString of(int qubit, Pauli p) {
        return new PauliString(1, p == Pauli.I ? ImmutableSortedMap.of() : ImmutableSortedMap.of(qubit, p));
    }

    /** A Qiskit label such as {@code "XIZ"} (Z on qubit 0, X on qubit 2), optionally {@code "-0.5*XIZ"}. */
    public static PauliString parse(String label) {
        double c = 1;
        String s = label.strip();
        int star = s.indexOf('*');
        if (star >= 0) {
            c = Double.parseDouble(s.substring(0, star).strip());
            s = s.substring(star + 1).strip();
        } else if (s.startsWith("-")) {
            c = -1;
            s = s.substring(1);
        }
        ImmutableSortedMap.Builder<Integer, Pauli> b = ImmutableSortedMap.naturalOrder();
        for (int i = 0; i < s.length(); i++) {
            int q = s.length() - 1 - i;
            Pauli p = switch (s.charAt(i)) {
                case 'I' -> Pauli.I;
                case 'X' -> Pauli.X;
                case 'Y' -> Pauli.Y;
                case 'Z' -> Pauli.Z;
                default -> throw new IllegalArgumentException("bad Pauli label '" + label + "'");
            };
            if (p != Pauli.I) b.put(q, p);
        }
        return new PauliString(c, b.build());
    }

    public PauliString times(double k) { return new PauliString(coefficient * k, ops); }

    /** Bits flipped (X or Y). */
    int xMask() {
        int m = 0;
        for (var e : ops.entrySet()) if (e.getValue() == Pauli.X || e.getValue() == Pauli.Y) m |= 1 << e.getKey();
        return m;
    }

    /** Bits giving a sign (Y or Z). */
    int zMask() {
        int m = 0;
        for (var e : ops.entrySet()) if (e.getValue() == Pauli.Z || e.getValue() == Pauli.Y) m |= 1 << e.getKey();
        return m;
    }

    int yCount() { return (int) ops.values().stream().filter(p -> p == Pauli.Y).count(); }

    /** Largest qubit index used plus one. */
    public int width() { return ops.isEmpty() ? 0 : ops.lastKey() + 1; }

    /** The Qiskit label over n qubits. */
    public String label(int n) {
        StringBuilder sb = new StringBuilder();
        for (int q = n - 1; q >= 0; q--) sb.append(ops.getOrDefault(q, Pauli.I));
        return sb.toString();
    }
}
