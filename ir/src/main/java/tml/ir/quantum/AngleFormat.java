package tml.ir.quantum;

/**
 * The textual form of numbers and {@link Angle}s, shared by the circuit printer and the OpenQASM
 * exporters. Every number is printed so that reading it back (evaluating {@code k*pi/d} left to
 * right in double precision) gives exactly the same double.
 */
public final class AngleFormat {
    private static final int[] DENOMINATORS = {1, 2, 3, 4, 6, 8, 12, 16, 32, 64};

    private AngleFormat() {}

    /** A plain number: an integer when integral and small, else Java's shortest round-trip decimal. */
    public static String number(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not finite: " + v);
        v += 0.0;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** A constant: an integer, a multiple {@code k*pi/d} of pi when that reads back exactly, else a number. */
    public static String constant(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not finite: " + v);
        v += 0.0;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        for (int d : DENOMINATORS) {
            double k = Math.rint(v * d / Math.PI);
            if (k == 0 || Math.abs(k) > 64L * d) continue;
            double back = d == 1 ? k * Math.PI : k * Math.PI / d;
            if (back != v) continue;
            String kp = k == 1 ? "pi" : k == -1 ? "-pi" : (long) k + "*pi";
            return d == 1 ? kp : kp + "/" + d;
        }
        return Double.toString(v);
    }

    /** An angle such as {@code 0.5*theta - x[2] + pi/2}. */
    public static String format(Angle a) {
        StringBuilder sb = new StringBuilder();
        for (Term t : a.terms()) {
            double c = t.coeff();
            boolean first = sb.isEmpty();
            if (!first) sb.append(c < 0 ? " - " : " + ");
            double mag = first ? c : Math.abs(c);
            if (mag == 1) {
                // bare symbol
            } else if (mag == -1) {
                sb.append('-');
            } else {
                sb.append(number(mag)).append('*');
            }
            sb.append(t.symbol());
        }
        double k = a.constant();
        if (sb.isEmpty()) return constant(k);
        if (k != 0) sb.append(k < 0 ? " - " : " + ").append(constant(Math.abs(k)));
        return sb.toString();
    }
}
