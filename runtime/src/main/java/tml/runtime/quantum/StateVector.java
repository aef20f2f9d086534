package tml.runtime.quantum;

import java.util.Arrays;

/**
 * A pure state of n qubits: 2^n complex amplitudes stored interleaved (re, im) in one double[]
 * (2^26 amplitudes take 1 GiB). Amplitude index bit i is qubit i (Qiskit order). Mutable:
 * simulators evolve it in place; {@link #copy} before sharing.
 */
public final class StateVector {
    /** 2^29 amplitudes = 2^30 doubles, the most one Java array holds comfortably. */
    public static final int MAX_QUBITS = 29;

    private final int numQubits;
    private final double[] amps;

    private StateVector(int numQubits, double[] amps) {
        this.numQubits = numQubits;
        this.amps = amps;
    }

    /** |0…0⟩. */
    public static StateVector zero(int numQubits) { return basis(numQubits, 0); }

    /** The computational basis state |index⟩. */
    public static StateVector basis(int numQubits, int index) {
        if (numQubits < 0 || numQubits > MAX_QUBITS) throw new IllegalArgumentException("qubit count must be in [0, " + MAX_QUBITS + "]: " + numQubits);
        if (index < 0 || index >= 1 << numQubits) throw new IllegalArgumentException("basis index out of range: " + index);
        double[] a = new double[2 << numQubits];
        a[2 * index] = 1;
        return new StateVector(numQubits, a);
    }

    /** From separate real and imaginary parts (copied; not normalised). */
    public static StateVector of(double[] re, double[] im) {
        int n = Integer.numberOfTrailingZeros(re.length);
        if (re.length != 1 << n || im.length != re.length) throw new IllegalArgumentException("need 2^n amplitudes");
        double[] a = new double[2 * re.length];
        for (int i = 0; i < re.length; i++) {
            a[2 * i] = re[i];
            a[2 * i + 1] = im[i];
        }
        return new StateVector(n, a);
    }

    /** Wraps an interleaved array without copying. */
    static StateVector wrap(int numQubits, double[] amps) { return new StateVector(numQubits, amps); }

    public int numQubits() { return numQubits; }

    /** Number of amplitudes, 2^n. */
    public int size() { return 1 << numQubits; }

    public double re(int i) { return amps[2 * i]; }

    public double im(int i) { return amps[2 * i + 1]; }

    public double probability(int i) { return amps[2 * i] * amps[2 * i] + amps[2 * i + 1] * amps[2 * i + 1]; }

    public double[] realParts() {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) r[i] = amps[2 * i];
        return r;
    }

    public double[] imagParts() {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) r[i] = amps[2 * i + 1];
        return r;
    }

    /** The backing interleaved array (not a copy): kernels work on it in place. */
    double[] raw() { return amps; }

    public StateVector copy() { return new StateVector(numQubits, amps.clone()); }

    /** ⟨this|other⟩ as {re, im}. */
    public double[] inner(StateVector other) {
        double sr = 0, si = 0;
        double[] b = other.amps;
        for (int i = 0; i < amps.length; i += 2) {
            sr += amps[i] * b[i] + amps[i + 1] * b[i + 1];
            si += amps[i] * b[i + 1] - amps[i + 1] * b[i];
        }
        return new double[] {sr, si};
    }

    /** |⟨this|other⟩|². */
    public double fidelity(StateVector other) {
        double[] z = inner(other);
        return z[0] * z[0] + z[1] * z[1];
    }

    public double normSquared() {
        double s = 0;
        for (double v : amps) s += v * v;
        return s;
    }

    /** True when both hold exactly the same doubles. */
    public boolean bitIdentical(StateVector o) { return numQubits == o.numQubits && Arrays.equals(amps, o.amps); }
}
