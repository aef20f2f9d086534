package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the invariants every pass relies on: names are identifiers, parameters are unique,
 * qubit and classical bit indices are in range, gate operands are distinct, angles use only
 * declared parameters and inputs, conditions read a valid bit range and a value that fits.
 */
public final class CircuitVerifier {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private CircuitVerifier() {}

    /** All problems, each prefixed with the op index ({@code op 3: ...}); empty when valid. */
    public static ImmutableList<String> verify(Circuit c) {
        ImmutableList.Builder<String> out = ImmutableList.builder();
        if (!IDENT.matcher(c.name()).matches()) out.add("circuit name '" + c.name() + "' is not an identifier");
        Set<String> params = new HashSet<>();
        for (String p : c.params()) {
            if (!IDENT.matcher(p).matches() || p.equals("pi") || p.equals("x")) out.add("bad parameter name '" + p + "'");
            if (!params.add(p)) out.add("duplicate parameter '" + p + "'");
        }
        for (int i = 0; i < c.ops().size(); i++) verifyOp(c, params, c.ops().get(i), "op " + i + ": ", out);
        return out.build();
    }

    /** Throws {@link InvalidCircuitException} unless {@link #verify} finds nothing. */
    public static Circuit check(Circuit c) {
        ImmutableList<String> problems = verify(c);
        if (!problems.isEmpty()) throw new InvalidCircuitException(c.name(), problems);
        return c;
    }

    private static void verifyOp(Circuit c, Set<String> params, Op op, String at, ImmutableList.Builder<String> out) {
        switch (op) {
            case Op.Gate g -> {
                qubits(c, g.qubits(), at, out);
                for (Angle a : g.angles())
                    for (Term t : a.terms()) {
                        switch (t.symbol()) {
                            case Symbol.Param p -> { if (!params.contains(p.name())) out.add(at + "unknown parameter '" + p.name() + "'"); }
                            case Symbol.Input in -> {
                                if (in.index() < 0 || in.index() >= c.numInputs())
                                    out.add(at + "input x[" + in.index() + "] out of range (" + c.numInputs() + " inputs)");
                            }
                        }
                    }
            }
            case Op.Measure m -> {
                qubits(c, List.of(m.qubit()), at, out);
                if (m.clbit() < 0 || m.clbit() >= c.numClbits()) out.add(at + "classical bit " + m.clbit() + " out of range");
            }
            case Op.Reset r -> qubits(c, List.of(r.qubit()), at, out);
            case Op.Barrier b -> qubits(c, b.qubits(), at, out);
            case Op.Conditional k -> {
                if (k.width() < 1 || k.width() > 62 || k.firstClbit() < 0 || (long) k.firstClbit() + k.width() > c.numClbits())
                    out.add(at + "condition reads bits [" + k.firstClbit() + ", " + ((long) k.firstClbit() + k.width()) + ") of " + c.numClbits());
                else if (k.value() < 0 || k.value() >= (1L << k.width()))
                    out.add(at + "condition value " + k.value() + " does not fit in " + k.width() + " bit(s)");
                verifyOp(c, params, k.body(), at, out);
            }
        }
    }

    private static void qubits(Circuit c, List<Integer> qs, String at, ImmutableList.Builder<String> out) {
        Set<Integer> seen = new HashSet<>();
        for (int q : qs) {
            if (q < 0 || q >= c.numQubits()) out.add(at + "qubit " + q + " out of range (" + c.numQubits() + " qubits)");
            if (!seen.add(q)) out.add(at + "qubit " + q + " used twice");
        }
    }
}
