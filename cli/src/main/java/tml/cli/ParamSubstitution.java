package tml.cli;

import com.google.common.collect.ImmutableList;
import java.util.List;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;
import tml.ir.quantum.Symbol;
import tml.ir.quantum.Term;

/** Substitutes values for a circuit's trained parameters, keeping its input features symbolic. */
final class ParamSubstitution {
    private ParamSubstitution() {}

    /** The circuit with every parameter replaced by its value (in {@link Circuit#params()} order) and no parameters left. */
    static Circuit bindParams(Circuit c, double[] values) {
        if (values.length != c.params().size()) throw new IllegalArgumentException(c.params().size() + " parameters, " + values.length + " values");
        ImmutableList.Builder<Op> ops = ImmutableList.builder();
        for (Op op : c.ops()) ops.add(bind(op, c, values));
        return new Circuit(c.name(), c.numQubits(), c.numClbits(), ImmutableList.of(), c.numInputs(), ops.build());
    }

    private static Op bind(Op op, Circuit c, double[] values) {
        return switch (op) {
            case Op.Gate g -> g.isNumeric() ? g : g.withAngles(g.angles().stream().map(a -> bind(a, c, values)).collect(ImmutableList.toImmutableList()));
            case Op.Conditional k -> new Op.Conditional(k.firstClbit(), k.width(), k.value(), bind(k.body(), c, values));
            default -> op;
        };
    }

    private static Angle bind(Angle a, Circuit c, double[] values) {
        ImmutableList.Builder<Term> kept = ImmutableList.builder();
        double constant = a.constant();
        for (Term t : a.terms()) {
            if (t.symbol() instanceof Symbol.Param p) constant += t.coeff() * values[c.paramIndex(p.name())];
            else kept.add(t);
        }
        return new Angle(kept.build(), constant);
    }

    /** Names for a message: all of them, or the first ten and the count. */
    static String list(List<String> names) {
        if (names.size() <= 10) return String.join(", ", names);
        return String.join(", ", names.subList(0, 10)) + ", ... (" + names.size() + " in all)";
    }
}
