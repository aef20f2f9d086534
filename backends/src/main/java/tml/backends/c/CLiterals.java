package tml.backends.c;

/**
 * Exact C99 spellings of numbers. Floats in code are the shortest decimal that reads back as the
 * same value ({@link Float#toString}, which every correctly rounding C compiler reads back exactly),
 * with an {@code f} suffix; weights are hexadecimal floats ({@code 0x1.8p+1f}), exact on any C99
 * compiler whatever its decimal conversion does, and cheap to print. NaN and infinities use
 * {@code <math.h>}'s {@code NAN} and {@code INFINITY} (constant expressions, usable in initialisers).
 */
final class CLiterals {
    private CLiterals() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** An {@code int64_t}-typed constant: plain when it fits in an int, else {@code INT64_C(...)}. */
    static String index(long v) {
        if (v == Long.MIN_VALUE) return "INT64_MIN";
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return Long.toString(v);
        return "INT64_C(" + v + ")";
    }

    /** A {@code float} constant in code, e.g. {@code 0.5f}, {@code -1.0E-5f}, {@code NAN}, {@code -INFINITY}. */
    static String f32(float v) {
        if (Float.isNaN(v)) return "NAN";
        if (Float.isInfinite(v)) return v > 0 ? "INFINITY" : "-INFINITY";
        return Float.toString(v) + "f";
    }

    /** A {@code double} constant in code, e.g. {@code 1.0E-5}, {@code (double)NAN}. */
    static String f64(double v) {
        if (Double.isNaN(v)) return "(double)NAN";
        if (Double.isInfinite(v)) return v > 0 ? "(double)INFINITY" : "-(double)INFINITY";
        return Double.toString(v);
    }

    /**
     * Appends {@code v} as an exact C99 hexadecimal float constant of type float: {@code 0x1.8p+1f},
     * {@code -0x0p+0f}, {@code 0x1p-149f} (subnormals as an integer times 2^-149).
     */
    static void appendHexF32(StringBuilder sb, float v) {
        int bits = Float.floatToRawIntBits(v);
        int exp = (bits >>> 23) & 0xff, mant = bits & 0x7fffff;
        if (exp == 0xff) {
            sb.append(mant != 0 ? "NAN" : bits < 0 ? "-INFINITY" : "INFINITY");
            return;
        }
        if (bits < 0) sb.append('-');
        if (exp == 0) {
            if (mant == 0) {
                sb.append("0x0p+0f");
            } else {
                sb.append("0x").append(Integer.toHexString(mant)).append("p-149f");
            }
            return;
        }
        sb.append("0x1");
        int frac = mant << 1; // 24 bits: six hex digits
        if (frac != 0) {
            sb.append('.');
            int digits = 6;
            while ((frac & 0xf) == 0) {
                frac >>>= 4;
                digits--;
            }
            for (int d = digits - 1; d >= 0; d--) sb.append(HEX[(frac >>> (4 * d)) & 0xf]);
        }
        int e = exp - 127;
        sb.append('p').append(e < 0 ? '-' : '+').append(Math.abs(e)).append('f');
    }
}
