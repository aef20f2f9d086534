package tml.ir.loop;

/**
 * Scalar expressions of the loop IR. Integers are {@code index} (64-bit); {@code div} and {@code rem}
 * on integers round toward negative infinity (floor division, as Python), so lowering can write
 * padding arithmetic directly. Float comparisons are ordered (false on NaN) except {@code !=}, which
 * is true on NaN, as in C. {@code min}/{@code max} are {@code b < a ? b : a} and {@code b > a ? b : a}.
 */
public sealed interface Expr {

    /** An {@code index} constant. */
    record IntConst(long value) implements Expr {}

    /** A float constant of type f32 (the value is then exactly a float) or f64. */
    record FloatConst(double value, ScalarType type) implements Expr {
        public FloatConst {
            if (!type.isFloat()) throw new IllegalArgumentException("float constant of type " + type);
            if (type == ScalarType.F32) value = (float) value;
            if (Double.isNaN(value)) value = Double.NaN; // one NaN, so printing and parsing round-trip
        }

        @Override public boolean equals(Object o) {
            return o instanceof FloatConst f && f.type == type
                    && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }

        @Override public int hashCode() { return Long.hashCode(Double.doubleToRawLongBits(value)) * 31 + type.hashCode(); }
    }

    /** A loop variable or a local scalar, by name (without the {@code $}). */
    record Var(String name) implements Expr {}

    /** An element of a buffer: {@code %name[index]}, the index counted in elements. */
    record Load(String buffer, Expr index) implements Expr {}

    enum BinOp {
        ADD("+", 4), SUB("-", 4), MUL("*", 5), DIV("/", 5), REM("%", 5),
        LT("<", 3), LE("<=", 3), GT(">", 3), GE(">=", 3), EQ("==", 3), NE("!=", 3),
        AND("&&", 2), OR("||", 1),
        MIN("min", 0), MAX("max", 0);

        /** The infix symbol, or the function name of min/max. */
        public final String symbol;
        /** Binding strength of an infix operator; 0 for the function-call forms min/max. */
        public final int precedence;

        BinOp(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        public boolean isComparison() { return precedence == 3; }
        public boolean isLogical() { return this == AND || this == OR; }
        public boolean isInfix() { return precedence > 0; }
    }

    /** {@code a OP b}; operands have the same type. */
    record Binary(BinOp op, Expr a, Expr b) implements Expr {}

    /** {@code select(cond, a, b)}: a if cond else b (both evaluated). */
    record Select(Expr cond, Expr a, Expr b) implements Expr {}

    /** A numeric conversion, written {@code f32(x)}, {@code f64(x)}, {@code index(x)} (float to index truncates toward zero). */
    record Cast(ScalarType type, Expr value) implements Expr {}

    enum Intrinsic {
        EXP("exp"), TANH("tanh"), SQRT("sqrt");
        public final String text;
        Intrinsic(String text) { this.text = text; }
    }

    /** A math function of one float argument: {@code exp(x)}, {@code tanh(x)}, {@code sqrt(x)}. */
    record Call(Intrinsic fn, Expr arg) implements Expr {}
}
