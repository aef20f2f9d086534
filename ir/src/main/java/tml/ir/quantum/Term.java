package tml.ir.quantum;

/** {@code coeff * symbol}, one summand of an {@link Angle}. */
public record Term(double coeff, Symbol symbol) {
    public Term {
        if (!Double.isFinite(coeff)) throw new IllegalArgumentException("coefficient is not finite: " + coeff);
        coeff += 0.0; // canonical zero
    }
}
