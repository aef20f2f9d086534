package tml.optimizer.quantum.search;

import tml.ir.quantum.Circuit;
import tml.runtime.quantum.AdjointDifferentiator;
import tml.runtime.quantum.Gradient;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * Noise-free loss, accuracy and parameter gradient of a classifier circuit on the statevector
 * simulator, the gradient by adjoint differentiation (one adjoint sweep per readout qubit and
 * sample). Single-threaded, so results are bit-identical run to run.
 */
public final class ExactLoss implements AutoCloseable {
    private final StatevectorSimulator sim = new StatevectorSimulator(1, 64);
    private final AdjointDifferentiator adjoint = new AdjointDifferentiator(sim);
    private final Readout readout;

    public ExactLoss(Readout readout) { this.readout = readout; }

    public Readout readout() { return readout; }

    /** Mean loss over the samples {@code idx}, with its gradient in {@code grad} (length = params). */
    public double lossAndGradient(Circuit c, double[] params, Dataset d, int[] idx, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        int[] qs = readout.qubits();
        double total = 0;
        for (int i : idx) {
            Gradient[] g = new Gradient[qs.length];
            double[] z = new double[qs.length];
            for (int k = 0; k < qs.length; k++) {
                g[k] = adjoint.gradient(c, params, d.features()[i], Observable.z(qs[k]));
                z[k] = g[k].value();
            }
            total += readout.loss(z, d.labels()[i]);
            double[] dz = readout.lossGradient(z, d.labels()[i]);
            for (int k = 0; k < qs.length; k++) {
                double[] gp = g[k].params();
                for (int p = 0; p < grad.length; p++) grad[p] += dz[k] * gp[p] / idx.length;
            }
        }
        return total / idx.length;
    }

    /** Mean loss and accuracy over the whole dataset. */
    public Score score(Circuit c, double[] params, Dataset d) {
        int[] qs = readout.qubits();
        double loss = 0;
        int right = 0;
        for (int i = 0; i < d.size(); i++) {
            var state = sim.run(c, params, d.features()[i]);
            double[] z = new double[qs.length];
            for (int k = 0; k < qs.length; k++) z[k] = sim.expectation(state, Observable.z(qs[k]));
            loss += readout.loss(z, d.labels()[i]);
            if (readout.predict(z) == d.labels()[i]) right++;
        }
        return new Score(loss / d.size(), (double) right / d.size());
    }

    @Override public void close() { sim.close(); }
}
