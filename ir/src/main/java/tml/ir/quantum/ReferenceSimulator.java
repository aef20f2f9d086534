package tml.ir.quantum;

import java.util.List;

/**
 * The reference meaning of unitary circuits: a plain, obviously-correct statevector evolution
 * and circuit unitaries for small qubit counts. Optimizer and backend tests use it to check
 * equivalence; the fast simulator in the runtime is tested against it. Amplitude index bit i
 * is qubit i (Qiskit order).
 */
public final class ReferenceSimulator {
    /** Largest qubit count for {@link #unitary}. */
    public static final int MAX_UNITARY_QUBITS = 10;

    private ReferenceSimulator() {}

    /** Applies a k-qubit matrix to {@code qubits} (operand 0 = matrix index bit 0) in place. */
    public static void apply(ComplexMatrix m, List<Integer> qubits, double[] re, double[] im) {
        int k = qubits.size(), d = 1 << k;
        if (m.dim() != d) throw new IllegalArgumentException("matrix of dimension " + m.dim() + " on " + k + " qubit(s)");
        int mask = 0;
        for (int q : qubits) mask |= 1 << q;
        int[] idx = new int[d];
        double[] vr = new double[d], vi = new double[d];
        for (int base = 0; base < re.length; base++) {
            if ((base & mask) != 0) continue;
            for (int j = 0; j < d; j++) {
                int ix = base;
                for (int b = 0; b < k; b++) if ((j >> b & 1) != 0) ix |= 1 << qubits.get(b);
                idx[j] = ix;
                vr[j] = re[ix];
                vi[j] = im[ix];
            }
            for (int r = 0; r < d; r++) {
                double sr = 0, si = 0;
                for (int c = 0; c < d; c++) {
                    double mr = m.re(r, c), mi = m.im(r, c);
                    sr += mr * vr[c] - mi * vi[c];
                    si += mr * vi[c] + mi * vr[c];
                }
                re[idx[r]] = sr;
                im[idx[r]] = si;
            }
        }
    }

    /** Evolves (re, im) in place through a circuit of gates and barriers. */
    public static void evolve(Circuit c, ParamBinding b, double[] re, double[] im) {
        if (re.length != 1 << c.numQubits() || im.length != re.length) throw new IllegalArgumentException("state size must be 2^" + c.numQubits());
        for (Op op : c.ops()) {
            switch (op) {
                case Op.Gate g -> apply(Gates.matrix(g, b), g.qubits(), re, im);
                case Op.Barrier ignored -> {}
                default -> throw new IllegalArgumentException("not a unitary op: " + CircuitPrinter.op(op));
            }
        }
    }

    /** The 2^n×2^n unitary of a circuit of gates and barriers (n ≤ {@value #MAX_UNITARY_QUBITS}). */
    public static ComplexMatrix unitary(Circuit c, ParamBinding b) {
        int n = c.numQubits();
        if (n > MAX_UNITARY_QUBITS) throw new IllegalArgumentException("unitary of " + n + " qubits is too large");
        int d = 1 << n;
        double[] ure = new double[d * d], uim = new double[d * d];
        for (int col = 0; col < d; col++) {
            double[] re = new double[d], im = new double[d];
            re[col] = 1;
            evolve(c, b, re, im);
            for (int row = 0; row < d; row++) {
                ure[row * d + col] = re[row];
                uim[row * d + col] = im[row];
            }
        }
        return ComplexMatrix.wrap(d, ure, uim);
    }

    /** |⟨a|b⟩|². */
    public static double fidelity(double[] are, double[] aim, double[] bre, double[] bim) {
        double sr = 0, si = 0;
        for (int i = 0; i < are.length; i++) {
            sr += are[i] * bre[i] + aim[i] * bim[i];
            si += are[i] * bim[i] - aim[i] * bre[i];
        }
        return sr * sr + si * si;
    }
}
