package tml.runtime.quantum.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * QOC's probabilistic gradient pruning (Wang et al., DAC 2022, arXiv:2202.13239). Training steps
 * alternate between an accumulation window of {@code accumulationWindow} steps, which compute every
 * gradient and add up their magnitudes, and a pruning window of {@code pruningWindow} steps, each
 * of which computes only ⌈(1 − ratio)·N⌉ of the N gradients: the kept parameters are drawn without
 * replacement with probability proportional to the accumulated magnitude, so a parameter is pruned
 * with a probability that falls as its gradients grow. Pruned gradients are zero and, with
 * parameter shift, cost no circuit runs. The magnitudes restart at each accumulation window.
 * Holds its own state and random stream; one instance per training run.
 */
public final class GradientPruner {
    /** Added to every accumulated magnitude so that no parameter is never sampled. */
    public static final double FLOOR = 1e-2;

    private final double ratio;
    private final int accumulationWindow, pruningWindow;
    private final SplittableRandom rng;
    private final double[] magnitude;
    private int step;

    public GradientPruner(int numParams, double ratio, int accumulationWindow, int pruningWindow, long seed) {
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("pruning ratio must be in [0, 1): " + ratio);
        if (accumulationWindow < 1 || pruningWindow < 1) throw new IllegalArgumentException("pruning windows must be at least 1 step");
        this.ratio = ratio;
        this.accumulationWindow = accumulationWindow;
        this.pruningWindow = pruningWindow;
        this.rng = new SplittableRandom(seed);
        this.magnitude = new double[numParams];
    }

    private boolean accumulating() { return step % (accumulationWindow + pruningWindow) < accumulationWindow; }

    /** Parameters kept in a pruning step. */
    public int keptPerPruningStep() { return (int) Math.ceil((1 - ratio) * magnitude.length); }

    /** Which gradients the current step computes. */
    public boolean[] mask() {
        boolean[] keep = new boolean[magnitude.length];
        if (accumulating()) {
            if (step % (accumulationWindow + pruningWindow) == 0) Arrays.fill(magnitude, 0);
            Arrays.fill(keep, true);
            return keep;
        }
        double[] w = new double[magnitude.length];
        double total = 0;
        for (int k = 0; k < w.length; k++) total += w[k] = magnitude[k] + FLOOR;
        for (int n = keptPerPruningStep(); n > 0; n--) {
            double u = rng.nextDouble() * total;
            int k = 0;
            while (k < w.length - 1 && (w[k] == 0 || u >= w[k])) {
                u -= w[k];
                k++;
            }
            while (w[k] == 0) k--; // rounding at the end of the range
            keep[k] = true;
            total -= w[k];
            w[k] = 0;
        }
        return keep;
    }

    /** Records the gradient of the current step (accumulated during accumulation windows) and advances. */
    public void record(double[] grad) {
        if (accumulating()) for (int k = 0; k < grad.length; k++) magnitude[k] += Math.abs(grad[k]);
        step++;
    }
}
