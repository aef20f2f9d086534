package tml.runtime.quantum;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;

/** Kraus operators of the standard noise channels (Σ K†K = I). */
public final class NoiseChannels {
    private static final ComplexMatrix[] PAULIS = {
            ComplexMatrix.identity(2), Gates.matrix(GateKind.X), Gates.matrix(GateKind.Y), Gates.matrix(GateKind.Z)};

    private NoiseChannels() {}

    /** ρ → (1−p)ρ + p·I/2: Paulis with weights 1−3p/4 and p/4. */
    public static ImmutableList<ComplexMatrix> depolarizing1(double p) {
        ImmutableList.Builder<ComplexMatrix> b = ImmutableList.builder();
        for (int k = 0; k < 4; k++) b.add(PAULIS[k].scale(Math.sqrt(k == 0 ? 1 - 3 * p / 4 : p / 4), 0));
        return b.build();
    }

    /** ρ → (1−p)ρ + p·I/4 on two qubits: the 16 Pauli products with weights 1−15p/16 and p/16. */
    public static ImmutableList<ComplexMatrix> depolarizing2(double p) {
        ImmutableList.Builder<ComplexMatrix> b = ImmutableList.builder();
        for (int hi = 0; hi < 4; hi++)
            for (int lo = 0; lo < 4; lo++)
                b.add(kron(PAULIS[hi], PAULIS[lo]).scale(Math.sqrt(hi == 0 && lo == 0 ? 1 - 15 * p / 16 : p / 16), 0));
        return b.build();
    }

    /** Energy relaxation |1⟩ → |0⟩ with probability γ. */
    public static ImmutableList<ComplexMatrix> amplitudeDamping(double gamma) {
        return ImmutableList.of(
                ComplexMatrix.of(2, new double[] {1, 0, 0, Math.sqrt(1 - gamma)}, new double[4]),
                ComplexMatrix.of(2, new double[] {0, Math.sqrt(gamma), 0, 0}, new double[4]));
    }

    /** Dephasing: off-diagonal elements shrink by √(1−λ). */
    public static ImmutableList<ComplexMatrix> phaseDamping(double lambda) {
        return ImmutableList.of(
                ComplexMatrix.of(2, new double[] {1, 0, 0, Math.sqrt(1 - lambda)}, new double[4]),
                ComplexMatrix.of(2, new double[] {0, 0, 0, Math.sqrt(lambda)}, new double[4]));
    }

    /** Reset to |0⟩: |0⟩⟨0| and |0⟩⟨1|. */
    public static ImmutableList<ComplexMatrix> reset() {
        return ImmutableList.of(
                ComplexMatrix.of(2, new double[] {1, 0, 0, 0}, new double[4]),
                ComplexMatrix.of(2, new double[] {0, 1, 0, 0}, new double[4]));
    }

    /** hi ⊗ lo, lo acting on operand 0 (the low index bit). */
    static ComplexMatrix kron(ComplexMatrix hi, ComplexMatrix lo) {
        int d = hi.dim() * lo.dim();
        double[] re = new double[d * d], im = new double[d * d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) {
                int lr = r % lo.dim(), lc = c % lo.dim(), hr = r / lo.dim(), hc = c / lo.dim();
                double ar = hi.re(hr, hc), ai = hi.im(hr, hc), br = lo.re(lr, lc), bi = lo.im(lr, lc);
                re[r * d + c] = ar * br - ai * bi;
                im[r * d + c] = ar * bi + ai * br;
            }
        return ComplexMatrix.of(d, re, im);
    }
}
