package tml.optimizer.quantum;

import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;

/**
 * Commutation of gates from how each acts on each of its wires. A gate is "Z-type" on a wire when
 * it lies in span{I, Z} there tensored with anything elsewhere (diagonal gates, controls), "X-type"
 * for span{I, X} (x, rx, sx, cx target, rxx, …), "Y-type" likewise. Two gates commute when, on
 * every wire they share, both are of a common type: their factors on shared wires then lie in one
 * commutative algebra and the rest act on disjoint wires.
 */
final class Commutation {
    static final int Z = 1, X = 2, Y = 4, ALL = 7;

    private Commutation() {}

    /** Bit set of the types of gate {@code k} on its operand {@code operand}. */
    static int types(GateKind k, int operand) {
        return switch (k) {
            case ID -> ALL;
            case Z, S, SDG, T, TDG, RZ, P, U1, CZ, CP, CRZ, RZZ -> Z;
            case X, RX, SX, SXDG, RXX -> X;
            case Y, RY, RYY -> Y;
            case CX, CRX -> operand == 0 ? Z : X;
            case CY, CRY -> operand == 0 ? Z : Y;
            case CH, CU3, CSWAP -> operand == 0 ? Z : 0;
            case CCX -> operand < 2 ? Z : X;
            case H, U2, U3, SWAP -> 0;
        };
    }

    static boolean commute(Op.Gate a, Op.Gate b) {
        if (Gates.sameAction(a, b)) return true;
        for (int i = 0; i < a.qubits().size(); i++) {
            int j = b.qubits().indexOf(a.qubits().get(i));
            if (j < 0) continue;
            if ((types(a.kind(), i) & types(b.kind(), j)) == 0) return false;
        }
        return true;
    }
}
