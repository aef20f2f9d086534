package tml.ir.quantum;

import java.util.Arrays;
import java.util.Optional;

/**
 * The standard gate set (Qiskit conventions). {@link Gates#matrix} gives each matrix; the first
 * qubit operand of a gate is the least significant bit of the matrix index. For controlled gates
 * the controls come first.
 */
public enum GateKind {
    ID("id", 1, 0), H("h", 1, 0), X("x", 1, 0), Y("y", 1, 0), Z("z", 1, 0),
    S("s", 1, 0), SDG("sdg", 1, 0), T("t", 1, 0), TDG("tdg", 1, 0), SX("sx", 1, 0), SXDG("sxdg", 1, 0),
    RX("rx", 1, 1), RY("ry", 1, 1), RZ("rz", 1, 1), P("p", 1, 1), U1("u1", 1, 1), U2("u2", 1, 2), U3("u3", 1, 3),
    CX("cx", 2, 0), CY("cy", 2, 0), CZ("cz", 2, 0), CH("ch", 2, 0), SWAP("swap", 2, 0),
    CRX("crx", 2, 1), CRY("cry", 2, 1), CRZ("crz", 2, 1), CP("cp", 2, 1), CU3("cu3", 2, 3),
    RXX("rxx", 2, 1), RYY("ryy", 2, 1), RZZ("rzz", 2, 1),
    CCX("ccx", 3, 0), CSWAP("cswap", 3, 0);

    private final String mnemonic;
    private final int numQubits;
    private final int numAngles;

    GateKind(String mnemonic, int numQubits, int numAngles) {
        this.mnemonic = mnemonic;
        this.numQubits = numQubits;
        this.numAngles = numAngles;
    }

    /** The name in the textual IR and in OpenQASM. */
    public String mnemonic() { return mnemonic; }

    public int numQubits() { return numQubits; }

    public int numAngles() { return numAngles; }

    public boolean isParameterized() { return numAngles > 0; }

    /** Gates whose matrix does not change when their qubit operands are permuted (e.g. cz, swap, rzz). */
    public boolean isSymmetric() {
        return switch (this) {
            case CZ, SWAP, CP, RXX, RYY, RZZ -> true;
            default -> false;
        };
    }

    /** Number of leading control qubits (0 for uncontrolled gates). */
    public int numControls() {
        return switch (this) {
            case CX, CY, CZ, CH, CRX, CRY, CRZ, CP, CU3, CSWAP -> 1;
            case CCX -> 2;
            default -> 0;
        };
    }

    /** Rotations whose two instances on the same qubits compose by adding their single angle. */
    public boolean isAdditiveRotation() {
        return switch (this) {
            case RX, RY, RZ, P, U1, CRX, CRY, CRZ, CP, RXX, RYY, RZZ -> true;
            default -> false;
        };
    }

    public static Optional<GateKind> byMnemonic(String name) {
        return Arrays.stream(values()).filter(k -> k.mnemonic.equals(name)).findFirst();
    }
}
