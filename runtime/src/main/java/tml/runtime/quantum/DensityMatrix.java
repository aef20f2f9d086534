package tml.runtime.quantum;

/**
 * A mixed state ρ of n qubits, stored as the vector vec(ρ) of a 2n-qubit {@link StateVector}:
 * element ρ[row][col] is amplitude {@code row | col << n}. A unitary U on qubits Q then acts as U
 * on Q and conj(U) on Q+n, so the statevector kernels do the work.
 */
public final class DensityMatrix {
    /** 4^13 complex entries = 1 GiB. */
    public static final int MAX_QUBITS = 13;

    private final int numQubits;
    private final StateVector vec;

    DensityMatrix(int numQubits, StateVector vec) {
        this.numQubits = numQubits;
        this.vec = vec;
    }

    /** |0…0⟩⟨0…0|. */
    public static DensityMatrix zero(int numQubits) {
        check(numQubits);
        return new DensityMatrix(numQubits, StateVector.zero(2 * numQubits));
    }

    /** |ψ⟩⟨ψ|. */
    public static DensityMatrix pure(StateVector psi) {
        int n = psi.numQubits();
        check(n);
        int d = 1 << n;
        double[] a = new double[2 * d * d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) {
                int p = 2 * (r | c << n);
                a[p] = psi.re(r) * psi.re(c) + psi.im(r) * psi.im(c);
                a[p + 1] = psi.im(r) * psi.re(c) - psi.re(r) * psi.im(c);
            }
        return new DensityMatrix(n, StateVector.wrap(2 * n, a));
    }

    private static void check(int n) {
        if (n < 0 || n > MAX_QUBITS) throw new IllegalArgumentException("density matrices hold at most " + MAX_QUBITS + " qubits: " + n);
    }

    public int numQubits() { return numQubits; }

    public double re(int row, int col) { return vec.re(row | col << numQubits); }

    public double im(int row, int col) { return vec.im(row | col << numQubits); }

    /** The diagonal: probabilities of the basis states. */
    public double[] probabilities() {
        double[] p = new double[1 << numQubits];
        for (int i = 0; i < p.length; i++) p[i] = re(i, i);
        return p;
    }

    public double trace() {
        double t = 0;
        for (double v : probabilities()) t += v;
        return t;
    }

    /** Tr(ρ²). */
    public double purity() {
        double s = 0;
        double[] a = vec.raw();
        for (double v : a) s += v * v;
        return s;
    }

    public DensityMatrix copy() { return new DensityMatrix(numQubits, vec.copy()); }

    StateVector vec() { return vec; }

    /** this += other, entrywise. */
    void add(DensityMatrix other) {
        double[] a = vec.raw(), b = other.vec.raw();
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }

    void scale(double k) {
        double[] a = vec.raw();
        for (int i = 0; i < a.length; i++) a[i] *= k;
    }
}
