package tml.optimizer.quantum.search;

/**
 * Turns Pauli-Z expectations of readout qubits into class scores, the TorchQuantum way. With two
 * classes one qubit decides: logits (s·⟨Z₀⟩, −s·⟨Z₀⟩); with k &gt; 2 classes, logit c is s·⟨Z_c⟩
 * on logical qubit c. The loss is the softmax cross-entropy of the logits.
 */
public record Readout(int numClasses, double scale) {
    public Readout {
        if (numClasses < 2) throw new IllegalArgumentException("a classifier needs at least two classes");
        if (!(scale > 0)) throw new IllegalArgumentException("readout scale must be positive");
    }

    /** The logical qubits whose ⟨Z⟩ the readout needs. */
    public int[] qubits() {
        int n = numClasses == 2 ? 1 : numClasses;
        int[] q = new int[n];
        for (int i = 0; i < n; i++) q[i] = i;
        return q;
    }

    public double[] logits(double[] z) {
        if (numClasses == 2) return new double[] {scale * z[0], -scale * z[0]};
        double[] l = new double[numClasses];
        for (int c = 0; c < numClasses; c++) l[c] = scale * z[c];
        return l;
    }

    public double[] probabilities(double[] z) {
        double[] l = logits(z);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : l) max = Math.max(max, v);
        double sum = 0;
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    /** Cross-entropy −log p(label). */
    public double loss(double[] z, int label) { return -Math.log(Math.max(probabilities(z)[label], 1e-300)); }

    /** ∂loss/∂⟨Z_q⟩ for each readout qubit. */
    public double[] lossGradient(double[] z, int label) {
        double[] p = probabilities(z);
        if (numClasses == 2) return new double[] {scale * ((p[0] - (label == 0 ? 1 : 0)) - (p[1] - (label == 1 ? 1 : 0)))};
        double[] g = new double[numClasses];
        for (int c = 0; c < numClasses; c++) g[c] = scale * (p[c] - (c == label ? 1 : 0));
        return g;
    }

    public int predict(double[] z) {
        double[] l = logits(z);
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
        return best;
    }
}
