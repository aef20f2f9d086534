package tml.runtime.quantum;

import com.google.common.collect.ImmutableMap;
import tml.ir.quantum.Coupling;
import tml.ir.quantum.Device;

/**
 * Noise for the density-matrix simulator. After every gate: a depolarizing channel
 * ρ → (1−p)ρ + p·Tr_q(ρ)⊗I/d on the gate's qubits (p = {@code depolarizing1q} for one-qubit gates,
 * {@code depolarizing2q} on the pair for two-qubit gates, and {@code depolarizing2q} on each qubit
 * of three-qubit gates), then amplitude damping (γ) and phase damping (λ) on each gate qubit.
 * Measurements flip the recorded bit with the qubit's {@link ReadoutError}. Per-qubit and
 * per-pair overrides take precedence (pairs keyed by {@link #pairKey}).
 */
public record NoiseModel(double depolarizing1q, double depolarizing2q, double amplitudeDamping, double phaseDamping,
                         ReadoutError readout,
                         ImmutableMap<Integer, Double> depolarizing1qByQubit,
                         ImmutableMap<Long, Double> depolarizing2qByPair,
                         ImmutableMap<Integer, ReadoutError> readoutByQubit) {

    public static final NoiseModel IDEAL = new NoiseModel(0, 0, 0, 0, ReadoutError.NONE, ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of());

    public NoiseModel {
        for (double p : new double[] {depolarizing1q, depolarizing2q, amplitudeDamping, phaseDamping})
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("noise probabilities must be in [0, 1]: " + p);
        if (depolarizing2q > 16.0 / 15 || depolarizing1q > 4.0 / 3) throw new IllegalArgumentException("depolarizing parameter too large");
    }

    public static NoiseModel depolarizing(double p1, double p2) { return IDEAL.withDepolarizing(p1, p2); }

    public NoiseModel withDepolarizing(double p1, double p2) {
        return new NoiseModel(p1, p2, amplitudeDamping, phaseDamping, readout, depolarizing1qByQubit, depolarizing2qByPair, readoutByQubit);
    }

    public NoiseModel withAmplitudeDamping(double gamma) {
        return new NoiseModel(depolarizing1q, depolarizing2q, gamma, phaseDamping, readout, depolarizing1qByQubit, depolarizing2qByPair, readoutByQubit);
    }

    public NoiseModel withPhaseDamping(double lambda) {
        return new NoiseModel(depolarizing1q, depolarizing2q, amplitudeDamping, lambda, readout, depolarizing1qByQubit, depolarizing2qByPair, readoutByQubit);
    }

    public NoiseModel withReadout(ReadoutError r) {
        return new NoiseModel(depolarizing1q, depolarizing2q, amplitudeDamping, phaseDamping, r, depolarizing1qByQubit, depolarizing2qByPair, readoutByQubit);
    }

    /**
     * Noise from a device's calibration: each qubit's single-qubit error and each coupling's
     * error become depolarizing parameters (error rate r of a d-dimensional gate ↦ p = r·d/(d−1),
     * the depolarizing parameter with that average infidelity), readout errors are symmetric.
     */
    public static NoiseModel fromDevice(Device d) {
        ImmutableMap.Builder<Integer, Double> p1 = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, ReadoutError> ro = ImmutableMap.builder();
        for (int q = 0; q < d.numQubits(); q++) {
            p1.put(q, Math.min(1, d.singleQubitErrors().get(q) * 2));
            ro.put(q, ReadoutError.symmetric(d.readoutErrors().get(q)));
        }
        ImmutableMap.Builder<Long, Double> p2 = ImmutableMap.builder();
        for (Coupling c : d.couplings()) p2.put(pairKey(c.a(), c.b()), Math.min(1, c.error() * 4 / 3));
        return new NoiseModel(0, 0, 0, 0, ReadoutError.NONE, p1.buildKeepingLast(), p2.buildKeepingLast(), ro.buildKeepingLast());
    }

    /** Key of an unordered qubit pair. */
    public static long pairKey(int a, int b) { return ((long) Math.min(a, b) << 32) | Math.max(a, b); }

    public double depolarizing1q(int q) { return depolarizing1qByQubit.getOrDefault(q, depolarizing1q); }

    public double depolarizing2q(int a, int b) { return depolarizing2qByPair.getOrDefault(pairKey(a, b), depolarizing2q); }

    public ReadoutError readout(int q) { return readoutByQubit.getOrDefault(q, readout); }

    public boolean isIdeal() {
        return depolarizing1q == 0 && depolarizing2q == 0 && amplitudeDamping == 0 && phaseDamping == 0 && readout.isNone()
                && depolarizing1qByQubit.values().stream().allMatch(v -> v == 0)
                && depolarizing2qByPair.values().stream().allMatch(v -> v == 0)
                && readoutByQubit.values().stream().allMatch(ReadoutError::isNone);
    }
}
