package tml.optimizer.quantum.search;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tml.ir.quantum.Circuit;

/**
 * Mini-batch Adam on {@link SharedWeights} with exact adjoint gradients. Each step trains the
 * circuit the supplier gives (a sampled SubCircuit, or one fixed circuit when fine-tuning) on a
 * batch drawn from a seeded shuffle of the training set; only that circuit's weights move.
 */
public final class Trainer {
    private Trainer() {}

    /** Runs the steps; reports the mean loss about ten times; returns the mean loss of the last tenth. */
    public static double fit(Supplier<Circuit> circuits, SharedWeights w, Dataset train, ExactLoss loss, TrainOptions o,
                             String label, Consumer<String> progress) {
        SplittableRandom rng = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
        Adam adam = new Adam(w.size(), o.learningRate());
        int[] order = permutation(train.size(), rng);
        int pos = 0, every = Math.max(1, o.steps() / 10), batch = Math.min(o.batchSize(), train.size());
        double recent = 0;
        int recentCount = 0;
        double last = Double.NaN;
        for (int step = 1; step <= o.steps(); step++) {
            Circuit c = circuits.get();
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                if (pos == order.length) {
                    order = permutation(train.size(), rng);
                    pos = 0;
                }
                idx[i] = order[pos++];
            }
            double[] params = w.valuesFor(c);
            double[] grad = new double[params.length];
            recent += loss.lossAndGradient(c, params, train, idx, grad);
            recentCount++;
            adam.step(w, w.slotsFor(c), grad);
            if (step % every == 0 || step == o.steps()) {
                last = recent / recentCount;
                progress.accept(String.format(Locale.ROOT, "%s step %d/%d: loss %.4f", label, step, o.steps(), last));
                recent = 0;
                recentCount = 0;
            }
        }
        return last;
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
