package tml.runtime.quantum.train;

/** Softmax cross-entropy of logits against a label, computed stably (log-sum-exp). */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** The loss −log softmax(logits)[label]; writes ∂loss/∂logits = softmax − onehot into {@code grad}. */
    public static double loss(double[] logits, int label, double[] grad) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) max = Math.max(max, l);
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            grad[i] = Math.exp(logits[i] - max);
            sum += grad[i];
        }
        for (int i = 0; i < logits.length; i++) grad[i] = grad[i] / sum - (i == label ? 1 : 0);
        return Math.log(sum) + max - logits[label];
    }

    /** Index of the largest logit (the first on ties). */
    public static int argmax(double[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
