package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tml.frontend.diag.Span;
import tml.frontend.elab.Value.*;
import tml.ir.quantum.Angle;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/** Gates and other circuit operations, visible inside circuits (and blocks called from them). */
final class QuantumBuiltins {
    private QuantumBuiltins() {}

    static final ImmutableSet<String> OPERATIONS = ImmutableSet.of("measure", "reset", "barrier");

    static boolean isName(String name) {
        return GateKind.byMnemonic(name).isPresent() || OPERATIONS.contains(name);
    }

    static ImmutableSet<String> names() {
        ImmutableSet.Builder<String> b = ImmutableSet.builder();
        for (GateKind k : GateKind.values()) b.add(k.mnemonic());
        return b.addAll(OPERATIONS).build();
    }

    record Arg(Value value, Span span) {}

    /** Applies gate {@code kind}: angles first, then qubits; a single-qubit gate given a register applies to each qubit. */
    static void gate(GateKind kind, List<Arg> args, Span at, CircuitState c) {
        int want = kind.numAngles() + kind.numQubits();
        if (args.size() != want) {
            throw new EvalError(at, kind.mnemonic() + " takes " + (kind.numAngles() > 0 ? kind.numAngles() + " angle" + (kind.numAngles() > 1 ? "s" : "") + " and " : "")
                    + kind.numQubits() + " qubit" + (kind.numQubits() > 1 ? "s" : "") + ", got " + args.size() + " argument" + (args.size() == 1 ? "" : "s"));
        }
        ImmutableList.Builder<Angle> angles = ImmutableList.builder();
        for (int i = 0; i < kind.numAngles(); i++) angles.add(angle(args.get(i), kind.mnemonic()));
        ImmutableList<Angle> as = angles.build();
        if (kind.numQubits() == 1 && args.get(want - 1).value() instanceof QRegV reg) {
            for (int q = reg.start(); q < reg.start() + reg.size(); q++) c.add(new Op.Gate(kind, as, ImmutableList.of(q)), at);
            return;
        }
        List<Integer> qubits = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = kind.numAngles(); i < want; i++) {
            int q = qubit(args.get(i), kind.mnemonic());
            if (!seen.add(q)) throw new EvalError(args.get(i).span(), kind.mnemonic() + " needs distinct qubits, but q[" + q + "] is used twice");
            qubits.add(q);
        }
        c.add(new Op.Gate(kind, as, ImmutableList.copyOf(qubits)), at);
    }

    /**
     * measure(q) / measure(q[i]) into the classical bit of the same index; measure(q[i], c[j]) and
     * measure(q, c) into the given bits. reset and barrier take qubits.
     */
    static void operation(String name, List<Arg> args, Span at, CircuitState c) {
        if (args.isEmpty()) throw new EvalError(at, name + " needs qubits");
        if (name.equals("measure") && args.size() == 2 && (args.get(1).value() instanceof CRegV || args.get(1).value() instanceof ClbitV)) {
            List<Integer> qs = qubitsOf(args.get(0), name);
            List<Integer> bs = switch (args.get(1).value()) {
                case CRegV r -> { List<Integer> l = new ArrayList<>(); for (int i = 0; i < r.size(); i++) l.add(r.start() + i); yield l; }
                case ClbitV b -> List.of(b.index());
                default -> throw new IllegalStateException();
            };
            if (qs.size() != bs.size()) throw new EvalError(at, "measure: " + qs.size() + " qubits into " + bs.size() + " classical bits");
            for (int i = 0; i < qs.size(); i++) c.add(new Op.Measure(qs.get(i), bs.get(i)), at);
            return;
        }
        List<Integer> qubits = new ArrayList<>();
        for (Arg a : args) qubits.addAll(qubitsOf(a, name));
        switch (name) {
            case "measure" -> {
                for (int q : qubits) {
                    if (c.declaredBits && q >= c.clbits) {
                        throw new EvalError(at, "measure(q[" + q + "]) needs classical bit " + q + ", but only " + c.clbits + " are declared; write measure(q[" + q + "], c[i])");
                    }
                }
                if (!c.declaredBits) c.clbits = Math.max(c.clbits, c.qubits);
                for (int q : qubits) c.add(new Op.Measure(q, q), at);
            }
            case "reset" -> { for (int q : qubits) c.add(new Op.Reset(q), at); }
            default -> c.add(new Op.Barrier(ImmutableList.copyOf(qubits)), at);
        }
    }

    private static List<Integer> qubitsOf(Arg a, String name) {
        if (a.value() instanceof QRegV reg) {
            List<Integer> l = new ArrayList<>();
            for (int q = reg.start(); q < reg.start() + reg.size(); q++) l.add(q);
            return l;
        }
        return List.of(qubit(a, name));
    }

    static Angle angle(Arg a, String gate) {
        return switch (a.value()) {
            case IntV i -> Angle.of(i.v());
            case FloatV f -> {
                if (!Double.isFinite(f.v())) throw new EvalError(a.span(), "an angle of " + gate + " must be finite, got " + f.v());
                yield Angle.of(f.v());
            }
            case AngleV v -> v.angle();
            default -> throw new EvalError(a.span(), "an angle of " + gate + " must be a number or a parameter expression, got "
                    + Value.typeName(a.value()));
        };
    }

    static int qubit(Arg a, String gate) {
        return switch (a.value()) {
            case QubitV q -> q.index();
            case QRegV r -> throw new EvalError(a.span(), gate + " needs single qubits here, such as " + r.name() + "[0], not the register " + r.name());
            default -> throw new EvalError(a.span(), gate + " needs a qubit such as q[0], got " + Value.typeName(a.value()));
        };
    }

    /** Affine arithmetic on angles; empty when neither side is an angle. */
    static java.util.Optional<Value> arith(tml.frontend.ast.Expr.Binary b, Value l, Value r) {
        if (!(l instanceof AngleV) && !(r instanceof AngleV)) return java.util.Optional.empty();
        Angle la = l instanceof AngleV av ? av.angle() : null, ra = r instanceof AngleV av ? av.angle() : null;
        Double ln = l instanceof IntV i ? (double) i.v() : l instanceof FloatV f ? f.v() : null;
        Double rn = r instanceof IntV i ? (double) i.v() : r instanceof FloatV f ? f.v() : null;
        if ((la == null && ln == null) || (ra == null && rn == null)) {
            throw new EvalError(b.opSpan(), "operator '" + b.op().text + "' cannot be applied to " + Value.typeName(l) + " and " + Value.typeName(r));
        }
        try {
            return java.util.Optional.of(new AngleV(switch (b.op()) {
                case ADD -> la != null && ra != null ? la.plus(ra) : la != null ? la.plus(rn) : ra.plus(ln);
                case SUB -> la != null && ra != null ? la.minus(ra) : la != null ? la.plus(-rn) : ra.negate().plus(ln);
                case MUL -> {
                    if (la != null && ra != null) throw new EvalError(b.opSpan(), "angles must be affine in the parameters and inputs: a product of two symbolic angles is not allowed");
                    yield la != null ? la.times(rn) : ra.times(ln);
                }
                case DIV -> {
                    if (ra != null) throw new EvalError(b.opSpan(), "angles must be affine: cannot divide by a symbolic angle");
                    if (rn == 0) throw new EvalError(b.span(), "division by zero");
                    yield la.dividedBy(rn);
                }
                default -> throw new EvalError(b.opSpan(), "operator '" + b.op().text + "' is not defined for angles");
            }));
        } catch (IllegalArgumentException e) {
            throw new EvalError(b.span(), "invalid angle: " + e.getMessage());
        }
    }
}
