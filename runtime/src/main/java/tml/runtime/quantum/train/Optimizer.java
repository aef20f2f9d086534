package tml.runtime.quantum.train;

/**
 * A first-order optimizer over a flat parameter vector. Instances keep their own state (momentum,
 * moments); make one per training run.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam {
    /** Updates {@code params} in place from {@code grad} with learning rate {@code lr}. */
    void step(double[] params, double[] grad, double lr);

    static Optimizer sgd(int size, double momentum) { return new Sgd(size, momentum); }

    static Optimizer adam(int size) { return new Adam(size, 0.9, 0.999, 1e-8); }

    /** Stochastic gradient descent with (PyTorch-style) momentum: v ← μv + g, p ← p − lr·v. */
    final class Sgd implements Optimizer {
        private final double momentum;
        private final double[] velocity;

        public Sgd(int size, double momentum) {
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
            this.momentum = momentum;
            this.velocity = new double[size];
        }

        @Override public void step(double[] params, double[] grad, double lr) {
            for (int i = 0; i < params.length; i++) {
                velocity[i] = momentum * velocity[i] + grad[i];
                params[i] -= lr * velocity[i];
            }
        }
    }

    /** Adam (Kingma &amp; Ba 2015) with bias correction. */
    final class Adam implements Optimizer {
        private final double beta1, beta2, eps;
        private final double[] m, v;
        private int t;

        public Adam(int size, double beta1, double beta2, double eps) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.m = new double[size];
            this.v = new double[size];
        }

        @Override public void step(double[] params, double[] grad, double lr) {
            t++;
            double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < params.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
                v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
                params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
            }
        }
    }
}
