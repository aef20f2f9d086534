package tml.runtime.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import tml.ir.quantum.Circuit;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;
import tml.runtime.quantum.StateVector;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * The {@code quantum} layer: for each row of features, the exact final state of the circuit from
 * |0…0⟩ (terminal measurements ignored) and the Pauli-Z expectation of every qubit,
 * ⟨Z_q⟩ = Σ_i |ψ_i|² (1 − 2·bit_q(i)). Rows run in parallel on the common pool, each on its own
 * single-threaded simulator; every row is computed the same way whatever the thread count, so the
 * results are deterministic.
 */
public final class QuantumKernel {
    /** Largest circuit a layer simulates (2^20 amplitudes per row). */
    public static final int MAX_QUBITS = 20;

    private QuantumKernel() {}

    /** The layer in float32: features {@code x [..., K]}, parameters {@code w [P]}, result {@code [..., numQubits]}. */
    public static Tensor run(Circuit c, Tensor x, Tensor w) {
        int n = c.numQubits(), rows = rowsOf(x);
        double[] params = new double[w.numel()];
        for (int i = 0; i < params.length; i++) params[i] = w.data()[i];
        double[] features = new double[x.numel()];
        for (int i = 0; i < features.length; i++) features[i] = x.data()[i];
        double[] z = expectations(c, features, rows, params);
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) out[i] = (float) z[i];
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, n);
        return Tensor.wrap(shape, out);
    }

    private static int rowsOf(Tensor x) {
        int r = 1;
        for (int i = 0; i < x.rank() - 1; i++) r *= x.dim(i);
        return r;
    }

    /**
     * ⟨Z_q⟩ for {@code rows} rows of K features each (row-major in {@code features}), as
     * {@code rows × numQubits} values, row-major.
     */
    public static double[] expectations(Circuit c, double[] features, int rows, double[] params) {
        checkSize(c);
        int k = c.numInputs(), n = c.numQubits();
        double[] out = new double[rows * n];
        IntStream range = IntStream.range(0, rows);
        (rows > 1 ? range.parallel() : range).forEach(r -> {
            double[] in = new double[k];
            System.arraycopy(features, r * k, in, 0, k);
            StatevectorSimulator sim = serial();
            double[] z = zExpectations(sim, sim.run(c, params, in), n);
            System.arraycopy(z, 0, out, r * n, n);
        });
        return out;
    }

    /** A simulator that runs on the calling thread and holds no pool (nothing to close). */
    public static StatevectorSimulator serial() { return new StatevectorSimulator(1, Integer.MAX_VALUE); }

    /** ⟨Z_q⟩ of each qubit of a state, from its probabilities. */
    public static double[] zExpectations(StatevectorSimulator sim, StateVector s, int n) {
        double[] p = sim.probabilities(s);
        double[] z = new double[n];
        for (int i = 0; i < p.length; i++) {
            for (int q = 0; q < n; q++) z[q] += (i >>> q & 1) == 0 ? p[i] : -p[i];
        }
        return z;
    }

    /** Refuses circuits too large to simulate per row. */
    public static void checkSize(Circuit c) {
        if (c.numQubits() > MAX_QUBITS) {
            throw new TmlRuntimeException("circuit " + c.name() + " has " + c.numQubits() + " qubits; a quantum layer simulates at most "
                    + MAX_QUBITS + " (2^" + MAX_QUBITS + " amplitudes per row)");
        }
    }
}
