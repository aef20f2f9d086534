package tml.ir.quantum;

import com.google.common.collect.ImmutableList;

/**
 * Gate semantics: the unitary of each {@link GateKind} (Qiskit conventions: operand 0 is the least
 * significant bit of the matrix index), derivatives with respect to the angles, and inverses.
 */
public final class Gates {
    private static final double R2 = Math.sqrt(0.5);

    private Gates() {}

    /** The unitary of a gate with its angles evaluated. */
    public static ComplexMatrix matrix(GateKind kind, double... a) {
        if (a.length != kind.numAngles()) throw new IllegalArgumentException(kind.mnemonic() + " takes " + kind.numAngles() + " angle(s)");
        return switch (kind) {
            case ID -> ComplexMatrix.identity(2);
            case H -> m2(R2, 0, R2, 0, R2, 0, -R2, 0);
            case X -> m2(0, 0, 1, 0, 1, 0, 0, 0);
            case Y -> m2(0, 0, 0, -1, 0, 1, 0, 0);
            case Z -> m2(1, 0, 0, 0, 0, 0, -1, 0);
            case S -> m2(1, 0, 0, 0, 0, 0, 0, 1);
            case SDG -> m2(1, 0, 0, 0, 0, 0, 0, -1);
            case T -> m2(1, 0, 0, 0, 0, 0, R2, R2);
            case TDG -> m2(1, 0, 0, 0, 0, 0, R2, -R2);
            case SX -> m2(0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5);
            case SXDG -> m2(0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5);
            case RX -> { double c = Math.cos(a[0] / 2), s = Math.sin(a[0] / 2); yield m2(c, 0, 0, -s, 0, -s, c, 0); }
            case RY -> { double c = Math.cos(a[0] / 2), s = Math.sin(a[0] / 2); yield m2(c, 0, -s, 0, s, 0, c, 0); }
            case RZ -> ComplexMatrix.diagonalPhases(-a[0] / 2, a[0] / 2);
            case P, U1 -> ComplexMatrix.diagonalPhases(0, a[0]);
            case U2 -> u3(Math.PI / 2, a[0], a[1]);
            case U3 -> u3(a[0], a[1], a[2]);
            case CX -> controlled(matrix(GateKind.X), 1);
            case CY -> controlled(matrix(GateKind.Y), 1);
            case CZ -> controlled(matrix(GateKind.Z), 1);
            case CH -> controlled(matrix(GateKind.H), 1);
            case CRX -> controlled(matrix(GateKind.RX, a), 1);
            case CRY -> controlled(matrix(GateKind.RY, a), 1);
            case CRZ -> controlled(matrix(GateKind.RZ, a), 1);
            case CP -> controlled(matrix(GateKind.P, a), 1);
            case CU3 -> controlled(matrix(GateKind.U3, a), 1);
            case SWAP -> permutation(0, 2, 1, 3);
            case RXX -> pauliRotation(a[0], new int[] {3, 2, 1, 0}, new double[] {1, 1, 1, 1});
            case RYY -> pauliRotation(a[0], new int[] {3, 2, 1, 0}, new double[] {-1, 1, 1, -1});
            case RZZ -> ComplexMatrix.diagonalPhases(-a[0] / 2, a[0] / 2, a[0] / 2, -a[0] / 2);
            case CCX -> controlled(matrix(GateKind.X), 2);
            case CSWAP -> controlled(matrix(GateKind.SWAP), 1);
        };
    }

    /** The unitary of a gate whose angles are evaluated with {@code binding}. */
    public static ComplexMatrix matrix(Op.Gate gate, ParamBinding binding) {
        return matrix(gate.kind(), binding.angles(gate));
    }

    /** ∂U/∂a_j: the derivative of the gate's matrix with respect to its j-th angle. */
    public static ComplexMatrix derivative(GateKind kind, int j, double... a) {
        if (j < 0 || j >= kind.numAngles()) throw new IllegalArgumentException(kind.mnemonic() + " has no angle " + j);
        return switch (kind) {
            case RX, RY, RZ, RXX, RYY, RZZ -> matrix(kind, a[0] + Math.PI).scale(0.5, 0);
            case P, U1 -> m2(0, 0, 0, 0, 0, 0, -Math.sin(a[0]), Math.cos(a[0]));
            case U2 -> j == 0 ? I_ON_ONE.times(matrix(kind, a)) : matrix(kind, a).times(I_ON_ONE);
            case U3 -> switch (j) {
                case 0 -> u3(a[0] + Math.PI, a[1], a[2]).scale(0.5, 0);
                case 1 -> I_ON_ONE.times(matrix(kind, a));
                default -> matrix(kind, a).times(I_ON_ONE);
            };
            case CRX -> controlledDerivative(derivative(GateKind.RX, j, a));
            case CRY -> controlledDerivative(derivative(GateKind.RY, j, a));
            case CRZ -> controlledDerivative(derivative(GateKind.RZ, j, a));
            case CP -> controlledDerivative(derivative(GateKind.P, j, a));
            case CU3 -> controlledDerivative(derivative(GateKind.U3, j, a));
            default -> throw new IllegalArgumentException(kind.mnemonic() + " has no angles");
        };
    }

    private static final ComplexMatrix I_ON_ONE = m2(0, 0, 0, 0, 0, 0, 0, 1);

    /** The inverse gate on the same qubits (exact, symbolic angles negated as needed). */
    public static Op.Gate inverse(Op.Gate g) {
        ImmutableList<Angle> a = g.angles();
        return switch (g.kind()) {
            case ID, H, X, Y, Z, CX, CY, CZ, CH, SWAP, CCX, CSWAP -> g;
            case S -> new Op.Gate(GateKind.SDG, a, g.qubits());
            case SDG -> new Op.Gate(GateKind.S, a, g.qubits());
            case T -> new Op.Gate(GateKind.TDG, a, g.qubits());
            case TDG -> new Op.Gate(GateKind.T, a, g.qubits());
            case SX -> new Op.Gate(GateKind.SXDG, a, g.qubits());
            case SXDG -> new Op.Gate(GateKind.SX, a, g.qubits());
            case RX, RY, RZ, P, U1, CRX, CRY, CRZ, CP, RXX, RYY, RZZ -> g.withAngles(ImmutableList.of(a.get(0).negate()));
            // u2(φ,λ)† = u3(-π/2,-λ,-φ) = u2(π-λ, -φ-π)
            case U2 -> g.withAngles(ImmutableList.of(a.get(1).negate().plus(Math.PI), a.get(0).negate().plus(-Math.PI)));
            case U3, CU3 -> g.withAngles(ImmutableList.of(a.get(0).negate(), a.get(2).negate(), a.get(1).negate()));
        };
    }

    /**
     * True when the two gates have the same kind, equal angles and act identically on the same
     * qubits, allowing the operand permutations under which the kind's matrix is invariant (the
     * qubits of symmetric gates, the controls of ccx, the targets of cswap).
     */
    public static boolean sameAction(Op.Gate a, Op.Gate b) {
        if (a.kind() != b.kind() || !a.angles().equals(b.angles())) return false;
        if (a.qubits().equals(b.qubits())) return true;
        var qa = a.qubits();
        var qb = b.qubits();
        return switch (a.kind()) {
            case CZ, SWAP, CP, RXX, RYY, RZZ -> qa.get(0).equals(qb.get(1)) && qa.get(1).equals(qb.get(0));
            case CCX -> qa.get(2).equals(qb.get(2)) && qa.get(0).equals(qb.get(1)) && qa.get(1).equals(qb.get(0));
            case CSWAP -> qa.get(0).equals(qb.get(0)) && qa.get(1).equals(qb.get(2)) && qa.get(2).equals(qb.get(1));
            default -> false;
        };
    }

    /** u3(θ,φ,λ) = [[cos θ/2, -e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]]. */
    private static ComplexMatrix u3(double theta, double phi, double lambda) {
        double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
        return m2(c, 0,
                -Math.cos(lambda) * s, -Math.sin(lambda) * s,
                Math.cos(phi) * s, Math.sin(phi) * s,
                Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c);
    }

    /** Identity except where all {@code k} low (control) bits are 1; there, {@code base} on the high bits. */
    static ComplexMatrix controlled(ComplexMatrix base, int k) {
        int cm = (1 << k) - 1;
        int d = base.dim() << k;
        double[] re = new double[d * d], im = new double[d * d];
        for (int i = 0; i < d; i++) {
            if ((i & cm) != cm) {
                re[i * d + i] = 1;
                continue;
            }
            for (int j = 0; j < d; j++) {
                if ((j & cm) != cm) continue;
                re[i * d + j] = base.re(i >> k, j >> k);
                im[i * d + j] = base.im(i >> k, j >> k);
            }
        }
        return ComplexMatrix.wrap(d, re, im);
    }

    /** The derivative of a singly-controlled gate: zero except the controlled block. */
    private static ComplexMatrix controlledDerivative(ComplexMatrix dBase) {
        int d = dBase.dim() * 2;
        double[] re = new double[d * d], im = new double[d * d];
        for (int i = 1; i < d; i += 2)
            for (int j = 1; j < d; j += 2) {
                re[i * d + j] = dBase.re(i >> 1, j >> 1);
                im[i * d + j] = dBase.im(i >> 1, j >> 1);
            }
        return ComplexMatrix.wrap(d, re, im);
    }

    /** cos(θ/2)·I − i·sin(θ/2)·P for a two-qubit Pauli product P with one entry per row (column perm[row], sign sign[row]). */
    private static ComplexMatrix pauliRotation(double theta, int[] perm, double[] sign) {
        double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
        double[] re = new double[16], im = new double[16];
        for (int r = 0; r < 4; r++) {
            re[r * 4 + r] += c;
            im[r * 4 + perm[r]] += -s * sign[r];
        }
        return ComplexMatrix.wrap(4, re, im);
    }

    private static ComplexMatrix permutation(int... target) {
        int d = target.length;
        double[] re = new double[d * d];
        for (int j = 0; j < d; j++) re[target[j] * d + j] = 1;
        return ComplexMatrix.wrap(d, re, new double[d * d]);
    }

    private static ComplexMatrix m2(double r00, double i00, double r01, double i01, double r10, double i10, double r11, double i11) {
        return ComplexMatrix.wrap(2, new double[] {r00, r01, r10, r11}, new double[] {i00, i01, i10, i11});
    }
}
