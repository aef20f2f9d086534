package tml.optimizer.quantum.search;

/**
 * Adam (Kingma &amp; Ba) over {@link SharedWeights}, sparse: a step updates only the slots the
 * current SubCircuit uses, and each slot counts its own steps for the bias correction, so weights
 * that a sampled SubCircuit leaves out keep their moments unchanged.
 */
public final class Adam {
    private final double learningRate, beta1, beta2, eps;
    private final double[] m, v;
    private final int[] t;

    public Adam(int size, double learningRate) { this(size, learningRate, 0.9, 0.999, 1e-8); }

    public Adam(int size, double learningRate, double beta1, double beta2, double eps) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be positive");
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new double[size];
        this.v = new double[size];
        this.t = new int[size];
    }

    /** One step on {@code w} with gradient {@code grad[i]} for slot {@code slots[i]}. */
    public void step(SharedWeights w, int[] slots, double[] grad) {
        for (int i = 0; i < slots.length; i++) {
            int s = slots[i];
            double g = grad[i];
            t[s]++;
            m[s] = beta1 * m[s] + (1 - beta1) * g;
            v[s] = beta2 * v[s] + (1 - beta2) * g * g;
            double mh = m[s] / (1 - Math.pow(beta1, t[s]));
            double vh = v[s] / (1 - Math.pow(beta2, t[s]));
            w.add(s, -learningRate * mh / (Math.sqrt(vh) + eps));
        }
    }
}
