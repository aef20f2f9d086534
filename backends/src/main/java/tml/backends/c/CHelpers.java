package tml.backends.c;

import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code static inline} helper functions an exported C file may need, emitted only when used:
 * floor division and modulo of {@code int64_t} (the loop IR rounds toward negative infinity, C
 * toward zero), min/max with the loop IR's NaN behaviour ({@code b < a ? b : a}), and
 * {@code tml_expf}/{@code tml_tanhf}, the Cephes-style polynomials that {@code LoopToLlvm} inlines,
 * operation for operation and with the same f32 constants, so the C code needs no libm for them and
 * computes what the LLVM backend computes.
 */
final class CHelpers {
    private CHelpers() {}

    enum Helper { FLOORDIV, FLOORMOD, MINMAX_I64, MINMAX_F32, MINMAX_F64, EXPF, TANHF }

    /** The C text of the helpers in {@code used} (and of those they call). */
    static String text(Set<Helper> used) {
        EnumSet<Helper> need = used.isEmpty() ? EnumSet.noneOf(Helper.class) : EnumSet.copyOf(used);
        if (need.contains(Helper.TANHF)) need.add(Helper.EXPF);
        StringBuilder sb = new StringBuilder();
        if (need.contains(Helper.FLOORDIV)) {
            sb.append("""
                    /* Integer division rounding toward negative infinity (C's '/' truncates toward zero). */
                    static inline int64_t tml_floordiv(int64_t a, int64_t b) {
                        int64_t q = a / b, r = a % b;
                        return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q;
                    }

                    """);
        }
        if (need.contains(Helper.FLOORMOD)) {
            sb.append("""
                    /* The remainder of tml_floordiv: it has the divisor's sign. */
                    static inline int64_t tml_floormod(int64_t a, int64_t b) {
                        int64_t r = a % b;
                        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
                    }

                    """);
        }
        if (need.contains(Helper.MINMAX_I64)) minMax(sb, "int64_t", "i64");
        if (need.contains(Helper.MINMAX_F32)) minMax(sb, "float", "f32");
        if (need.contains(Helper.MINMAX_F64)) minMax(sb, "double", "f64");
        if (need.contains(Helper.EXPF)) exp(sb);
        if (need.contains(Helper.TANHF)) tanh(sb);
        return sb.toString();
    }

    private static void minMax(StringBuilder sb, String type, String suffix) {
        sb.append("/* min and max as the loop IR defines them: b < a ? b : a (with a NaN operand, the result is a). */\n");
        sb.append("static inline ").append(type).append(" tml_min_").append(suffix).append('(').append(type).append(" a, ").append(type)
                .append(" b) { return b < a ? b : a; }\n");
        sb.append("static inline ").append(type).append(" tml_max_").append(suffix).append('(').append(type).append(" a, ").append(type)
                .append(" b) { return b > a ? b : a; }\n\n");
    }

    /** The f32 constant LoopToLlvm makes of a double (LLVMConstReal(float, v) rounds to nearest), exactly. */
    private static String c(double v) { return CLiterals.f32((float) v); }

    private static void exp(StringBuilder sb) {
        sb.append("""
                /* The bits of a float (IEEE 754 binary32 is assumed throughout). */
                typedef union { float f; uint32_t u; } tml_f32bits;

                /* 2^n for n in [-126, 127], built from its exponent bits. */
                static inline float tml_pow2i(int32_t n) {
                    tml_f32bits v;
                    v.u = (uint32_t)(n + 127) << 23;
                    return v.f;
                }

                /* expf as Cephes computes it (and as tmlc's LLVM backend inlines it): n = round(x log2 e),
                 * r = x - n ln 2 in two parts, a degree-5 polynomial for e^r, scaled by 2^n in two steps so
                 * that no intermediate overflows. 0 below -103.97, +inf above 88.72, NaN stays NaN; about 1 ulp. */
                static float tml_expf(float x) {
                """);
        sb.append("    const float lo = ").append(c(-87.33654475)).append(", hi = ").append(c(88.72283905)).append(";\n");
        sb.append("    float xc = x < lo ? lo : x;\n");
        sb.append("    xc = xc > hi ? hi : xc;\n");
        sb.append("    float z = xc * ").append(c(1.44269504088896341)).append(";\n");
        sb.append("    float t = z + (z < 0.0f ? -0.5f : 0.5f);\n");
        sb.append("    int32_t n = t == t ? (int32_t)t : 0; /* a NaN x gives a NaN r, whatever n is */\n");
        sb.append("    float nf = (float)n;\n");
        sb.append("    float r = xc - nf * ").append(c(0.693359375)).append(";\n");
        sb.append("    r = r - nf * ").append(c(-2.12194440e-4)).append(";\n");
        double[] p = {1.9875691500E-4, 1.3981999507E-3, 8.3334519073E-3, 4.1665795894E-2, 1.6666665459E-1, 5.0000001201E-1};
        sb.append("    float p = ").append(c(p[0])).append(";\n");
        for (int k = 1; k < p.length; k++) sb.append("    p = p * r + ").append(c(p[k])).append(";\n");
        sb.append("""
                    float e = p * (r * r) + r + 1.0f;
                    int32_t n1 = n >= 0 ? n / 2 : -((1 - n) / 2); /* floor(n / 2) */
                    e = e * tml_pow2i(n1);
                    e = e * tml_pow2i(n - n1);
                    e = x > hi ? INFINITY : e;
                """);
        sb.append("    return x < ").append(c(-103.972076416)).append(" ? 0.0f : e;\n}\n\n");
    }

    private static void tanh(StringBuilder sb) {
        sb.append("""
                /* tanhf as Cephes (and tmlc's LLVM backend): an odd polynomial for |x| <= 0.5493, else
                 * 1 - 2 / (e^(2|x|) + 1) with the sign of x. */
                static float tml_tanhf(float x) {
                    tml_f32bits ax, sx, big;
                    ax.f = x;
                    sx.u = ax.u & 0x80000000u;
                    ax.u &= 0x7fffffffu; /* |x| */
                    big.f = 1.0f - 2.0f / (tml_expf(ax.f * 2.0f) + 1.0f);
                    big.u = (big.u & 0x7fffffffu) | sx.u; /* with the sign of x */
                    float z = x * x;
                """);
        double[] p = {-5.70498872745E-3, 2.06390887954E-2, -5.37397155531E-2, 1.33314422036E-1, -3.33332819422E-1};
        sb.append("    float p = ").append(c(p[0])).append(";\n");
        for (int k = 1; k < p.length; k++) sb.append("    p = p * z + ").append(c(p[k])).append(";\n");
        sb.append("    float small = p * z * x + x;\n");
        sb.append("    return ax.f > ").append(c(0.5493)).append(" ? big.f : small;\n}\n\n");
    }
}
