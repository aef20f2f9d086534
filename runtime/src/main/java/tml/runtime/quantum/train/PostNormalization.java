package tml.runtime.quantum.train;

import java.util.Arrays;

/**
 * QuantumNAT post-measurement normalization: each qubit's expectation is standardized over the
 * batch, {@code (z − mean) / sqrt(var + eps)}, which undoes the shrinking and shifting of
 * expectation values by noise. Training uses the batch statistics and updates running ones
 * (exponential average with {@link #MOMENTUM}, as batch normalization does); inference uses the
 * running statistics, or the statistics of the evaluated set itself ({@link Stats#BATCH},
 * QuantumNAT's normalization over the test batch, which also adapts to the evaluation's noise).
 * No affine parameters. One instance per model: it owns its running statistics.
 */
public final class PostNormalization {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    /** Where inference takes its statistics from. */
    public enum Stats { RUNNING, BATCH }

    private final double[] runningMean, runningVar;
    private boolean seen;
    // cache of the last training forward pass
    private double[][] xhat;
    private double[] invStd;

    public PostNormalization(int width) {
        runningMean = new double[width];
        runningVar = new double[width];
        Arrays.fill(runningVar, 1);
    }

    /** Restores running statistics (from a saved model). */
    public PostNormalization(double[] mean, double[] var) {
        if (mean.length != var.length) throw new IllegalArgumentException("mean and variance differ in length");
        runningMean = mean.clone();
        runningVar = var.clone();
        seen = true;
    }

    public double[] runningMean() { return runningMean.clone(); }

    public double[] runningVar() { return runningVar.clone(); }

    /** Normalizes a batch with its own statistics, updates the running ones, remembers what backward needs. */
    public double[][] forwardTrain(double[][] z) {
        int n = z.length, w = runningMean.length;
        double[] mean = mean(z), var = variance(z, mean);
        invStd = new double[w];
        xhat = new double[n][w];
        for (int i = 0; i < w; i++) {
            invStd[i] = 1 / Math.sqrt(var[i] + EPS);
            for (int b = 0; b < n; b++) xhat[b][i] = (z[b][i] - mean[i]) * invStd[i];
            double unbiased = n > 1 ? var[i] * n / (n - 1) : var[i];
            runningMean[i] = seen ? (1 - MOMENTUM) * runningMean[i] + MOMENTUM * mean[i] : mean[i];
            runningVar[i] = seen ? (1 - MOMENTUM) * runningVar[i] + MOMENTUM * unbiased : unbiased;
        }
        seen = true;
        double[][] out = new double[n][];
        for (int b = 0; b < n; b++) out[b] = xhat[b].clone();
        return out;
    }

    /** ∂loss/∂z from ∂loss/∂outputs of the last {@link #forwardTrain}. */
    public double[][] backward(double[][] dOut) {
        int n = dOut.length, w = runningMean.length;
        double[][] dz = new double[n][w];
        for (int i = 0; i < w; i++) {
            double sum = 0, dot = 0;
            for (int b = 0; b < n; b++) {
                sum += dOut[b][i];
                dot += dOut[b][i] * xhat[b][i];
            }
            for (int b = 0; b < n; b++) dz[b][i] = invStd[i] / n * (n * dOut[b][i] - sum - xhat[b][i] * dot);
        }
        return dz;
    }

    /** Inference: normalizes with the running statistics, or with those of {@code z} itself. */
    public double[][] forwardEval(double[][] z, Stats stats) {
        double[] mean = stats == Stats.RUNNING ? runningMean : mean(z);
        double[] var = stats == Stats.RUNNING ? runningVar : variance(z, mean);
        double[][] out = new double[z.length][mean.length];
        for (int b = 0; b < z.length; b++)
            for (int i = 0; i < mean.length; i++) out[b][i] = (z[b][i] - mean[i]) / Math.sqrt(var[i] + EPS);
        return out;
    }

    private double[] mean(double[][] z) {
        double[] m = new double[runningMean.length];
        for (double[] row : z) for (int i = 0; i < m.length; i++) m[i] += row[i];
        for (int i = 0; i < m.length; i++) m[i] /= Math.max(1, z.length);
        return m;
    }

    private double[] variance(double[][] z, double[] mean) {
        double[] v = new double[mean.length];
        for (double[] row : z) for (int i = 0; i < v.length; i++) v[i] += (row[i] - mean[i]) * (row[i] - mean[i]);
        for (int i = 0; i < v.length; i++) v[i] /= Math.max(1, z.length);
        return v;
    }
}
