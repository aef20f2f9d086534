package tml.ir.quantum;

/**
 * An immutable square complex matrix in row-major order, small enough for gate matrices and the
 * unitaries of small circuits (dimension up to 2^12).
 */
public final class ComplexMatrix {
    private final int dim;
    private final double[] re;
    private final double[] im;

    private ComplexMatrix(int dim, double[] re, double[] im) {
        this.dim = dim;
        this.re = re;
        this.im = im;
    }

    /** A matrix from row-major real and imaginary parts (copied). */
    public static ComplexMatrix of(int dim, double[] re, double[] im) {
        if (re.length != dim * dim || im.length != dim * dim) throw new IllegalArgumentException("need " + dim * dim + " entries");
        return new ComplexMatrix(dim, re.clone(), im.clone());
    }

    /** Wraps without copying; callers hand over ownership of the arrays. */
    static ComplexMatrix wrap(int dim, double[] re, double[] im) { return new ComplexMatrix(dim, re, im); }

    public static ComplexMatrix identity(int dim) {
        double[] re = new double[dim * dim];
        for (int i = 0; i < dim; i++) re[i * dim + i] = 1;
        return new ComplexMatrix(dim, re, new double[dim * dim]);
    }

    /** A diagonal matrix with entries {@code exp(i*phases[k])}. */
    public static ComplexMatrix diagonalPhases(double... phases) {
        int d = phases.length;
        double[] re = new double[d * d], im = new double[d * d];
        for (int k = 0; k < d; k++) {
            re[k * d + k] = Math.cos(phases[k]);
            im[k * d + k] = Math.sin(phases[k]);
        }
        return new ComplexMatrix(d, re, im);
    }

    public int dim() { return dim; }

    public double re(int row, int col) { return re[row * dim + col]; }

    public double im(int row, int col) { return im[row * dim + col]; }

    /** Row-major real parts (a copy). */
    public double[] realParts() { return re.clone(); }

    /** Row-major imaginary parts (a copy). */
    public double[] imagParts() { return im.clone(); }

    public ComplexMatrix times(ComplexMatrix o) {
        check(o);
        double[] r = new double[dim * dim], i = new double[dim * dim];
        for (int a = 0; a < dim; a++)
            for (int k = 0; k < dim; k++) {
                double xr = re[a * dim + k], xi = im[a * dim + k];
                if (xr == 0 && xi == 0) continue;
                for (int b = 0; b < dim; b++) {
                    double yr = o.re[k * dim + b], yi = o.im[k * dim + b];
                    r[a * dim + b] += xr * yr - xi * yi;
                    i[a * dim + b] += xr * yi + xi * yr;
                }
            }
        return new ComplexMatrix(dim, r, i);
    }

    public ComplexMatrix scale(double sr, double si) {
        double[] r = new double[dim * dim], i = new double[dim * dim];
        for (int k = 0; k < r.length; k++) {
            r[k] = re[k] * sr - im[k] * si;
            i[k] = re[k] * si + im[k] * sr;
        }
        return new ComplexMatrix(dim, r, i);
    }

    public ComplexMatrix plus(ComplexMatrix o) {
        check(o);
        double[] r = new double[dim * dim], i = new double[dim * dim];
        for (int k = 0; k < r.length; k++) {
            r[k] = re[k] + o.re[k];
            i[k] = im[k] + o.im[k];
        }
        return new ComplexMatrix(dim, r, i);
    }

    /** Conjugate transpose. */
    public ComplexMatrix dagger() {
        double[] r = new double[dim * dim], i = new double[dim * dim];
        for (int a = 0; a < dim; a++)
            for (int b = 0; b < dim; b++) {
                r[b * dim + a] = re[a * dim + b];
                i[b * dim + a] = -im[a * dim + b];
            }
        return new ComplexMatrix(dim, r, i);
    }

    /** Entrywise complex conjugate. */
    public ComplexMatrix conjugate() {
        double[] i = new double[dim * dim];
        for (int k = 0; k < i.length; k++) i[k] = -im[k];
        return new ComplexMatrix(dim, re.clone(), i);
    }

    /** Largest entrywise modulus of {@code this - o}. */
    public double maxDistance(ComplexMatrix o) {
        check(o);
        double m = 0;
        for (int k = 0; k < re.length; k++) m = Math.max(m, Math.hypot(re[k] - o.re[k], im[k] - o.im[k]));
        return m;
    }

    /**
     * Largest entrywise modulus of {@code this - e^{iα} o} for the global phase α that best aligns the
     * two (taken from the largest entry of {@code o}).
     */
    public double distanceUpToPhase(ComplexMatrix o) {
        check(o);
        int best = 0;
        double bestAbs = -1;
        for (int k = 0; k < re.length; k++) {
            double a = Math.hypot(o.re[k], o.im[k]);
            if (a > bestAbs) { bestAbs = a; best = k; }
        }
        if (bestAbs == 0) return maxDistance(o);
        // phase = this[best] / o[best], normalised
        double pr = re[best] * o.re[best] + im[best] * o.im[best];
        double pi = im[best] * o.re[best] - re[best] * o.im[best];
        double n = Math.hypot(pr, pi);
        if (n == 0) return maxDistance(o);
        return maxDistance(o.scale(pr / n, pi / n));
    }

    public boolean isUnitary(double tol) {
        return times(dagger()).maxDistance(identity(dim)) <= tol;
    }

    private void check(ComplexMatrix o) {
        if (o.dim != dim) throw new IllegalArgumentException("dimension " + o.dim + " != " + dim);
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < dim; a++) {
            sb.append('[');
            for (int b = 0; b < dim; b++) {
                if (b > 0) sb.append(", ");
                sb.append(String.format("%.4f%+.4fi", re(a, b), im(a, b)));
            }
            sb.append("]\n");
        }
        return sb.toString();
    }
}
