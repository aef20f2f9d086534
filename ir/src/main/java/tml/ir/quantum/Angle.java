package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gate angle: the affine expression {@code Σ coeff·symbol + constant} over circuit parameters and
 * input features, e.g. {@code 0.5*theta + pi}. Canonical: every symbol occurs at most once, no zero
 * coefficient, terms in order of first appearance, no negative zero, all numbers finite. So two
 * angles are equal exactly when they print identically.
 */
public record Angle(ImmutableList<Term> terms, double constant) {
    public static final Angle ZERO = new Angle(ImmutableList.of(), 0.0);

    public Angle {
        if (!Double.isFinite(constant)) throw new IllegalArgumentException("angle constant is not finite: " + constant);
        constant += 0.0;
        terms = canonical(terms);
    }

    public static Angle of(double constant) { return new Angle(ImmutableList.of(), constant); }

    public static Angle param(String name) { return new Angle(ImmutableList.of(new Term(1, Symbol.param(name))), 0); }

    public static Angle input(int index) { return new Angle(ImmutableList.of(new Term(1, Symbol.input(index))), 0); }

    /** True when the angle has no free symbols. */
    public boolean isConstant() { return terms.isEmpty(); }

    public Angle plus(Angle o) {
        return new Angle(ImmutableList.<Term>builder().addAll(terms).addAll(o.terms).build(), constant + o.constant);
    }

    public Angle plus(double c) { return new Angle(terms, constant + c); }

    public Angle minus(Angle o) { return plus(o.negate()); }

    public Angle negate() { return times(-1); }

    public Angle times(double k) {
        if (!Double.isFinite(k)) throw new IllegalArgumentException("factor is not finite: " + k);
        List<Term> ts = new ArrayList<>();
        for (Term t : terms) ts.add(new Term(t.coeff() * k, t.symbol()));
        return new Angle(ImmutableList.copyOf(ts), constant * k);
    }

    /** Division by a constant (kept as a division so that {@code 3*pi/4} reads back exactly). */
    public Angle dividedBy(double k) {
        if (!Double.isFinite(k) || k == 0) throw new IllegalArgumentException("divisor must be finite and non-zero: " + k);
        List<Term> ts = new ArrayList<>();
        for (Term t : terms) ts.add(new Term(t.coeff() / k, t.symbol()));
        return new Angle(ImmutableList.copyOf(ts), constant / k);
    }

    /** The value given the values of the symbols. */
    public double evaluate(SymbolValues values) {
        double v = 0;
        for (Term t : terms) v += t.coeff() * values.valueOf(t.symbol());
        return v + constant;
    }

    /** Values of symbols, for {@link #evaluate}. */
    @FunctionalInterface
    public interface SymbolValues {
        double valueOf(Symbol s);
    }

    @Override public String toString() { return AngleFormat.format(this); }

    private static ImmutableList<Term> canonical(ImmutableList<Term> terms) {
        if (terms.isEmpty()) return terms;
        boolean canonical = true;
        for (int i = 0; i < terms.size() && canonical; i++) {
            if (terms.get(i).coeff() == 0) canonical = false;
            for (int j = 0; j < i && canonical; j++) if (terms.get(j).symbol().equals(terms.get(i).symbol())) canonical = false;
        }
        if (canonical) return terms;
        Map<Symbol, Double> sums = new LinkedHashMap<>();
        for (Term t : terms) sums.merge(t.symbol(), t.coeff(), Double::sum);
        ImmutableList.Builder<Term> b = ImmutableList.builder();
        sums.forEach((s, c) -> { if (c != 0) b.add(new Term(c, s)); });
        return b.build();
    }
}
