package tml.optimizer.quantum;

import tml.ir.quantum.ComplexMatrix;

/** Angles (θ, φ, λ) with U = e^{iα}·u3(θ, φ, λ) for a 2×2 unitary U (ZYZ decomposition). */
final class U3Synthesis {
    private U3Synthesis() {}

    static double[] angles(ComplexMatrix u) {
        double a00 = Math.hypot(u.re(0, 0), u.im(0, 0)), a10 = Math.hypot(u.re(1, 0), u.im(1, 0));
        double theta = 2 * Math.atan2(a10, a00);
        double arg00 = Math.atan2(u.im(0, 0), u.re(0, 0));
        double arg10 = Math.atan2(u.im(1, 0), u.re(1, 0));
        double arg11 = Math.atan2(u.im(1, 1), u.re(1, 1));
        double argM01 = Math.atan2(-u.im(0, 1), -u.re(0, 1));
        double phi, lambda;
        if (a00 >= a10) {
            // α = arg U00; φ+λ = arg U11 − α; φ = arg U10 − α (when sin θ/2 ≠ 0)
            double sum = arg11 - arg00;
            phi = a10 > 0 ? arg10 - arg00 : 0;
            lambda = sum - phi;
        } else {
            // α+φ = arg U10, α+λ = arg(−U01), α+φ+λ = arg U11 (when cos θ/2 ≠ 0)
            double alpha = a00 > 0 ? arg10 + argM01 - arg11 : 0;
            phi = arg10 - alpha;
            lambda = argM01 - alpha;
        }
        return new double[] {theta, wrap(phi), wrap(lambda)};
    }

    /** The angle in (−π, π]. */
    static double wrap(double a) {
        double w = Math.IEEEremainder(a, 2 * Math.PI);
        return w <= -Math.PI ? w + 2 * Math.PI : w;
    }
}
