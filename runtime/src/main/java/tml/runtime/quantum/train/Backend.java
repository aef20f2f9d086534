package tml.runtime.quantum.train;

import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.DensityMatrix;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.ReadoutError;
import tml.runtime.quantum.StateVector;
import tml.runtime.quantum.StatevectorSimulator;

/** Where a circuit runs to give the Pauli-Z expectation of every qubit: exactly, or under noise. */
public sealed interface Backend permits Backend.Exact, Backend.Noisy, Backend.Sampled {
    /** ⟨Z_i⟩ for every qubit i of the circuit's final state. */
    double[] z(Circuit c, ParamBinding b);

    /** The ideal statevector simulator. */
    record Exact(StatevectorSimulator sim) implements Backend {
        @Override public double[] z(Circuit c, ParamBinding b) { return zOf(sim.run(c, b)); }
    }

    /**
     * The density-matrix simulator under a noise model; the readout error of each qubit is applied
     * to its expectation exactly (see {@link #readout}).
     */
    record Noisy(DensityMatrixSimulator sim) implements Backend {
        @Override public double[] z(Circuit c, ParamBinding b) { return readout(sim.noise(), zOf(sim.run(c, b))); }
    }

    /**
     * Expectations estimated from {@code shots} measurements of all qubits, as on hardware: outcomes
     * drawn from the ideal statevector's distribution, or from the noisy density matrix's with each
     * recorded bit then flipped by its readout error. Owns its random stream (one per training run).
     */
    record Sampled(StatevectorSimulator sim, java.util.Optional<DensityMatrixSimulator> noisy, int shots, java.util.SplittableRandom rng) implements Backend {
        public Sampled {
            if (shots < 1) throw new IllegalArgumentException("shots must be positive: " + shots);
        }

        @Override public double[] z(Circuit c, ParamBinding b) {
            int n = c.numQubits();
            double[] p = noisy.isPresent() ? noisy.get().run(c, b).probabilities() : sim.probabilities(sim.run(c, b));
            double[] cum = new double[p.length];
            double t = 0;
            for (int k = 0; k < p.length; k++) cum[k] = t += p[k];
            double[] flip1 = new double[n], flip0 = new double[n];
            for (int q = 0; q < n && noisy.isPresent(); q++) {
                flip1[q] = noisy.get().noise().readout(q).prob1Given0();
                flip0[q] = noisy.get().noise().readout(q).prob0Given1();
            }
            int[] ones = new int[n];
            for (int s = 0; s < shots; s++) {
                double u = rng.nextDouble() * t;
                int lo = 0, hi = cum.length - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cum[mid] > u) hi = mid; else lo = mid + 1;
                }
                for (int q = 0; q < n; q++) {
                    boolean one = (lo >> q & 1) == 1;
                    if (noisy.isPresent() && rng.nextDouble() < (one ? flip0[q] : flip1[q])) one = !one;
                    if (one) ones[q]++;
                }
            }
            double[] z = new double[n];
            for (int q = 0; q < n; q++) z[q] = 1 - 2.0 * ones[q] / shots;
            return z;
        }
    }

    static double[] zOf(StateVector s) {
        int n = s.numQubits();
        double[] z = new double[n];
        for (int k = 0; k < 1 << n; k++) {
            double p = s.probability(k);
            for (int i = 0; i < n; i++) z[i] += (k >> i & 1) == 0 ? p : -p;
        }
        return z;
    }

    static double[] zOf(DensityMatrix rho) {
        int n = rho.numQubits();
        double[] z = new double[n];
        for (int k = 0; k < 1 << n; k++) {
            double p = rho.re(k, k);
            for (int i = 0; i < n; i++) z[i] += (k >> i & 1) == 0 ? p : -p;
        }
        return z;
    }

    /**
     * The measured ⟨Z⟩ when qubit i's readout flips 0→1 with p₀₁ and 1→0 with p₁₀:
     * z' = (p₁₀ − p₀₁) + (1 − p₀₁ − p₁₀)·z. Returns a new array.
     */
    static double[] readout(NoiseModel noise, double[] z) {
        double[] out = z.clone();
        for (int i = 0; i < z.length; i++) {
            ReadoutError r = noise.readout(i);
            out[i] = (r.prob0Given1() - r.prob1Given0()) + (1 - r.prob1Given0() - r.prob0Given1()) * z[i];
        }
        return out;
    }

    /** ∂z'/∂z of {@link #readout} for qubit i. */
    static double readoutSlope(NoiseModel noise, int qubit) {
        ReadoutError r = noise.readout(qubit);
        return 1 - r.prob1Given0() - r.prob0Given1();
    }
}
