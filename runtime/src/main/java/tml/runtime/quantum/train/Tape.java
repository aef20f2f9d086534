package tml.runtime.quantum.train;

/**
 * One sample's forward pass through the circuit, kept for the backward pass: the per-qubit
 * expectations, and the vector–Jacobian product that turns ∂loss/∂expectations into ∂loss/∂params.
 */
public interface Tape {
    /** ⟨Z_i⟩ per qubit. */
    double[] expectations();

    /** Σ_i w_i ∂⟨Z_i⟩/∂θ_k for every parameter k (zero for parameters not computed this step). */
    double[] vjp(double[] w);

    /** Circuit executions this sample cost (forward and shifted runs; for the adjoint method, 1). */
    long circuitRuns();

    /** The mean of several tapes of the same parameters (noise-injection draws): mean expectations, mean products, summed runs. */
    static Tape mean(Tape[] tapes) {
        if (tapes.length == 1) return tapes[0];
        double[] z = new double[tapes[0].expectations().length];
        long runs = 0;
        for (Tape t : tapes) {
            for (int i = 0; i < z.length; i++) z[i] += t.expectations()[i] / tapes.length;
            runs += t.circuitRuns();
        }
        long total = runs;
        return new Tape() {
            @Override public double[] expectations() { return z; }

            @Override public double[] vjp(double[] w) {
                double[] g = null;
                for (Tape t : tapes) {
                    double[] x = t.vjp(w);
                    if (g == null) g = new double[x.length];
                    for (int k = 0; k < g.length; k++) g[k] += x[k] / tapes.length;
                }
                return g;
            }

            @Override public long circuitRuns() { return total; }
        };
    }
}
