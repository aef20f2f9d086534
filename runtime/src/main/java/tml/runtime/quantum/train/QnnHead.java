package tml.runtime.quantum.train;

import java.util.Optional;

/**
 * The classical part of a {@link QnnModel} after the circuit: normalization, quantization and
 * readout, forward and backward over a batch of per-qubit expectations. Owns the normalization's
 * running statistics; one instance per model being trained.
 */
public final class QnnHead {
    private final QnnModel model;
    private final Optional<PostNormalization> norm;
    private double[][] beforeQuant;

    public QnnHead(QnnModel model) { this(model, model.normalize() ? Optional.of(new PostNormalization(model.numQubits())) : Optional.empty()); }

    public QnnHead(QnnModel model, Optional<PostNormalization> norm) {
        if (model.normalize() != norm.isPresent()) throw new IllegalArgumentException("normalization state does not match the model");
        this.model = model;
        this.norm = norm;
    }

    public Optional<PostNormalization> normalization() { return norm; }

    /** Training forward pass: logits per sample; remembers what {@link #backward} needs. */
    public double[][] forwardTrain(double[][] z) {
        double[][] x = norm.isPresent() ? norm.get().forwardTrain(z) : copy(z);
        beforeQuant = copy(x);
        return logits(quantize(x));
    }

    /** ∂loss/∂z for each sample, from ∂loss/∂logits of the last {@link #forwardTrain}. */
    public double[][] backward(double[][] dLogits) {
        int n = dLogits.length;
        double[][] d = new double[n][];
        for (int b = 0; b < n; b++) {
            d[b] = model.readout().backward(dLogits[b], model.numQubits());
            if (model.quantizer().isPresent()) for (int i = 0; i < d[b].length; i++) d[b][i] *= model.quantizer().get().gradient(beforeQuant[b][i]);
        }
        return norm.isPresent() ? norm.get().backward(d) : d;
    }

    /** Inference: logits per sample (normalization with the given statistics). */
    public double[][] forwardEval(double[][] z, PostNormalization.Stats stats) {
        double[][] x = norm.isPresent() ? norm.get().forwardEval(z, stats) : copy(z);
        return logits(quantize(x));
    }

    private double[][] quantize(double[][] x) {
        if (model.quantizer().isEmpty()) return x;
        Quantizer q = model.quantizer().get();
        for (double[] row : x) for (int i = 0; i < row.length; i++) row[i] = q.apply(row[i]);
        return x;
    }

    private double[][] logits(double[][] x) {
        double[][] l = new double[x.length][];
        for (int b = 0; b < x.length; b++) l[b] = model.readout().logits(x[b], model.numClasses());
        return l;
    }

    private static double[][] copy(double[][] z) {
        double[][] c = new double[z.length][];
        for (int b = 0; b < z.length; b++) c[b] = z[b].clone();
        return c;
    }
}
