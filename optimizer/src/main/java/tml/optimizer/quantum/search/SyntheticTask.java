package tml.optimizer.quantum.search;

import java.util.SplittableRandom;

/**
 * Seeded synthetic classification tasks whose features are rotation angles (for an angle
 * encoding such as {@code ry(x[i], q[i])}), used by tests, the CLI and the benchmark.
 */
public record SyntheticTask(String name, int numClasses, Dataset train, Dataset validation) implements ClassificationTask {

    /**
     * Parity of {@code bits} random bits: feature i is π·bᵢ plus Gaussian jitter of {@code jitter}
     * radians, the label is b₀ ⊕ b₁ ⊕ …. No product state separates the classes: the circuit must
     * entangle (bring the bits' parity onto the readout qubit).
     */
    public static SyntheticTask parity(int bits, int trainSize, int validationSize, double jitter, long seed) {
        if (bits < 1) throw new IllegalArgumentException("parity needs at least one bit");
        SplittableRandom rng = new SplittableRandom(seed);
        return new SyntheticTask("parity" + bits, 2, parity(bits, trainSize, jitter, rng), parity(bits, validationSize, jitter, rng));
    }

    private static Dataset parity(int bits, int n, double jitter, SplittableRandom rng) {
        double[][] x = new double[n][bits];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int j = 0; j < bits; j++) {
                int b = rng.nextInt(2);
                p ^= b;
                x[i][j] = Math.PI * b + jitter * gaussian(rng);
            }
            y[i] = p;
        }
        return new Dataset(x, y);
    }

    /**
     * Two interleaved half circles (scikit-learn's {@code make_moons}) with Gaussian noise, scaled
     * to angles: x₀ ∈ [−1, 2] and x₁ ∈ [−0.5, 1] map linearly onto [0, π].
     */
    public static SyntheticTask moons(int trainSize, int validationSize, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new SyntheticTask("moons", 2, moons(trainSize, noise, rng), moons(validationSize, noise, rng));
    }

    private static Dataset moons(int n, double noise, SplittableRandom rng) {
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(2);
            double t = Math.PI * rng.nextDouble();
            double a = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double b = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            a += noise * gaussian(rng);
            b += noise * gaussian(rng);
            x[i][0] = (a + 1) / 3 * Math.PI;
            x[i][1] = (b + 0.5) / 1.5 * Math.PI;
            y[i] = label;
        }
        return new Dataset(x, y);
    }

    /** Standard normal by Box–Muller (SplittableRandom has no nextGaussian of its own state). */
    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
