package tml.backends.qasm;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitVerifier;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/**
 * OpenQASM 2.0 import into the quantum IR: a hand-written recursive-descent parser over
 * {@link QasmLexer} tokens. Registers are laid out in declaration order (qubits and classical bits
 * each flat); qelib1.inc is built in ({@link Qelib1}); custom {@code gate}s are expanded at each
 * use; register arguments broadcast; {@code if (c == n)} guards each resulting op. Every problem
 * — syntax, unknown names, arity, sizes, non-finite angles, unsupported features — is a
 * {@link QasmParseException} with line and column; no other exception escapes.
 */
public final class Qasm2Importer {
    /** Imported circuits are limited to this many ops (gate expansion can grow exponentially). */
    public static final int MAX_OPS = 2_000_000;
    /** Largest register size and total of qubits (or classical bits). */
    public static final int MAX_BITS = 1 << 16;
    private static final int MAX_DEPTH = 200;
    private static final Set<String> RESERVED = Set.of("OPENQASM", "include", "qreg", "creg", "gate", "opaque", "barrier", "measure",
            "reset", "if", "U", "CX", "pi", "sin", "cos", "tan", "exp", "ln", "sqrt");

    private record Register(int first, int size) {}

    /** {@code if (register == value)}: the register's flat bits and the value. */
    private record Guard(int first, int width, long value) {}

    private List<QasmToken> toks;
    private int pos;
    private final Map<String, Register> qregs = new LinkedHashMap<>();
    private final Map<String, Register> cregs = new LinkedHashMap<>();
    private final Map<String, QasmGateDef> gates = new HashMap<>();
    /** Gates defined by the qelib1 prelude and not yet redefined by the file. */
    private final Set<String> preludeGates = new HashSet<>();
    /** Ops one use of each defined gate expands to (saturating). */
    private final Map<String, Long> expandedSize = new HashMap<>();
    private boolean inPrelude;
    private boolean qelib1;
    private int numQubits;
    private int numClbits;
    private int depth;
    private final List<Op> ops = new ArrayList<>();

    private Qasm2Importer() {}

    public static Circuit parse(String source) throws QasmParseException { return parse(source, "main"); }

    /** @param name the circuit's name (an identifier) */
    public static Circuit parse(String source, String name) throws QasmParseException {
        Qasm2Importer p = new Qasm2Importer();
        try {
            p.toks = QasmLexer.lex(source);
            p.program();
            Circuit c = new Circuit(name, p.numQubits, p.numClbits, ImmutableList.of(), 0, ImmutableList.copyOf(p.ops));
            var problems = CircuitVerifier.verify(c);
            if (!problems.isEmpty()) throw new QasmParseException(1, 1, "internal error: imported circuit is invalid: " + problems);
            return c;
        } catch (QasmParseException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            QasmToken t = p.toks == null || p.toks.isEmpty() ? new QasmToken(QasmToken.Kind.EOF, "", 1, 1) : p.peek();
            throw new QasmParseException(t.line(), t.col(), "cannot import: " + e);
        }
    }

    // ------------------------------------------------------------------ statements

    private void program() throws QasmParseException {
        if (peek().is("OPENQASM")) {
            next();
            QasmToken v = next();
            if (!(v.kind() == QasmToken.Kind.REAL || v.kind() == QasmToken.Kind.INT) || !(v.text().equals("2") || v.text().startsWith("2.")))
                throw error(v, "only OpenQASM 2 is supported, found version " + v.describe());
            expect(";");
        }
        while (peek().kind() != QasmToken.Kind.EOF) statement();
    }

    private void statement() throws QasmParseException {
        QasmToken t = peek();
        if (t.kind() != QasmToken.Kind.ID) throw error(t, "expected a statement, found " + t.describe());
        switch (t.text()) {
            case "OPENQASM" -> throw error(t, "the OPENQASM header must come first");
            case "include" -> include();
            case "qreg", "creg" -> register();
            case "gate" -> gateDefinition(false);
            case "opaque" -> gateDefinition(true);
            case "barrier" -> {
                next();
                Set<Integer> qs = new LinkedHashSet<>();
                do {
                    for (int q : qubitArg()) qs.add(q);
                } while (accept(","));
                expect(";");
                emit(new Op.Barrier(ImmutableList.copyOf(qs)));
            }
            case "if" -> conditional();
            default -> quantumOp(null);
        }
    }

    private void include() throws QasmParseException {
        next();
        QasmToken f = next();
        if (f.kind() != QasmToken.Kind.STRING) throw error(f, "expected a file name in quotes, found " + f.describe());
        if (!f.text().equals("qelib1.inc")) throw error(f, "cannot include \"" + f.text() + "\": only qelib1.inc is built in");
        if (qelib1) throw error(f, "qelib1.inc is already included");
        expect(";");
        qelib1 = true;
        List<QasmToken> saved = toks;
        int savedPos = pos;
        toks = QasmLexer.lex(Qelib1.PRELUDE);
        pos = 0;
        inPrelude = true;
        while (peek().kind() != QasmToken.Kind.EOF) gateDefinition(false);
        inPrelude = false;
        toks = saved;
        pos = savedPos;
    }

    private void register() throws QasmParseException {
        boolean quantum = next().text().equals("qreg");
        QasmToken name = declaredName("register name");
        if (qregs.containsKey(name.text()) || cregs.containsKey(name.text()))
            throw error(name, "register '" + name.text() + "' is already declared");
        expect("[");
        QasmToken st = peek();
        long size = integer("register size");
        expect("]");
        expect(";");
        if (size < 1) throw error(st, "register size must be positive");
        int total = quantum ? numQubits : numClbits;
        if (size > MAX_BITS || total + size > MAX_BITS) throw error(st, "too many " + (quantum ? "qubits" : "classical bits") + " (at most " + MAX_BITS + ")");
        if (quantum) {
            qregs.put(name.text(), new Register(numQubits, (int) size));
            numQubits += (int) size;
        } else {
            cregs.put(name.text(), new Register(numClbits, (int) size));
            numClbits += (int) size;
        }
    }

    private void gateDefinition(boolean opaque) throws QasmParseException {
        next();
        QasmToken name = declaredName("gate name");
        String n = name.text();
        // the file may replace qelib1 gates added after 2017 (built in or from the prelude), nothing else
        if (qelib1 && Qelib1.ORIGINAL.contains(n)) throw error(name, "gate '" + n + "' is already defined in qelib1.inc");
        if (gates.containsKey(n) && !preludeGates.contains(n)) throw error(name, "gate '" + n + "' is already defined");
        if (inPrelude) preludeGates.add(n); else preludeGates.remove(n);
        List<String> params = new ArrayList<>();
        if (accept("(")) {
            if (!peek().is(")")) {
                do params.add(uniqueName(params, "parameter name")); while (accept(","));
            }
            expect(")");
        }
        List<String> qargs = new ArrayList<>();
        do {
            String q = uniqueName(qargs, "qubit argument name");
            if (params.contains(q)) throw error(toks.get(pos - 1), "'" + q + "' names both a parameter and a qubit");
            qargs.add(q);
        } while (accept(","));
        List<QasmGateDef.Stmt> body = new ArrayList<>();
        if (opaque) {
            expect(";");
        } else {
            expect("{");
            while (!peek().is("}")) {
                if (peek().kind() == QasmToken.Kind.EOF) throw error(peek(), "expected '}' to close gate " + n);
                body.add(bodyStatement(params, qargs));
            }
            expect("}");
        }
        long size = 0;
        for (QasmGateDef.Stmt st : body)
            size = Math.min(Long.MAX_VALUE / 4, size + (st instanceof QasmGateDef.Call call ? expandedSize.getOrDefault(call.name(), 1L) : 1));
        expandedSize.put(n, size);
        gates.put(n, new QasmGateDef(n, ImmutableList.copyOf(params), ImmutableList.copyOf(qargs), ImmutableList.copyOf(body), opaque));
    }

    private QasmGateDef.Stmt bodyStatement(List<String> params, List<String> qargs) throws QasmParseException {
        QasmToken t = identifier("a gate, barrier or '}'");
        if (t.text().equals("barrier")) {
            List<String> qs = new ArrayList<>();
            do qs.add(bodyQubit(qargs)); while (accept(","));
            expect(";");
            return new QasmGateDef.Barrier(ImmutableList.copyOf(qs));
        }
        if (Set.of("measure", "reset", "if").contains(t.text())) throw error(t, "'" + t.text() + "' is not allowed in a gate body");
        List<QasmExpr> args = new ArrayList<>();
        if (accept("(")) {
            if (!peek().is(")")) {
                do args.add(expr(params)); while (accept(","));
            }
            expect(")");
        }
        List<String> qs = new ArrayList<>();
        do {
            QasmToken at = peek();
            String q = bodyQubit(qargs);
            if (qs.contains(q)) throw error(at, "qubit '" + q + "' used twice in one gate");
            qs.add(q);
        } while (accept(","));
        expect(";");
        checkCallable(t, args.size(), qs.size());
        return new QasmGateDef.Call(t.text(), t, ImmutableList.copyOf(args), ImmutableList.copyOf(qs));
    }

    private String bodyQubit(List<String> qargs) throws QasmParseException {
        QasmToken q = identifier("qubit argument");
        if (!qargs.contains(q.text())) throw error(q, "unknown qubit argument '" + q.text() + "'" + (peek().is("[") ? " (gate bodies cannot index registers)" : ""));
        return q.text();
    }

    /** Checks that a gate exists with the given arities. */
    private void checkCallable(QasmToken t, int numArgs, int numQubits) throws QasmParseException {
        String n = t.text();
        int wantArgs, wantQubits;
        if (n.equals("U")) { wantArgs = 3; wantQubits = 1; }
        else if (n.equals("CX")) { wantArgs = 0; wantQubits = 2; }
        else if (gates.containsKey(n)) { wantArgs = gates.get(n).params().size(); wantQubits = gates.get(n).qargs().size(); }
        else if (qelib1 && Qelib1.KINDS.containsKey(n)) { wantArgs = Qelib1.numParams(n); wantQubits = Qelib1.KINDS.get(n).numQubits(); }
        else if (!qelib1 && Qelib1.KINDS.containsKey(n)) throw error(t, "unknown gate '" + n + "' (missing include \"qelib1.inc\"?)");
        else throw error(t, "unknown gate '" + n + "'");
        if (numArgs != wantArgs) throw error(t, "gate '" + n + "' takes " + wantArgs + " parameter(s), got " + numArgs);
        if (numQubits != wantQubits) throw error(t, "gate '" + n + "' acts on " + wantQubits + " qubit(s), got " + numQubits);
    }

    private void conditional() throws QasmParseException {
        next();
        expect("(");
        QasmToken reg = identifier("classical register");
        Register r = cregs.get(reg.text());
        if (r == null) throw error(reg, qregs.containsKey(reg.text())
                ? "'" + reg.text() + "' is a quantum register; conditions compare a classical register"
                : "unknown classical register '" + reg.text() + "'");
        if (peek().is("[")) throw error(peek(), "OpenQASM 2 conditions compare a whole register, not a bit");
        expect("==");
        QasmToken vt = peek();
        long v = integer("condition value");
        expect(")");
        if (r.size() > 62) throw error(reg, "conditions on registers wider than 62 bits are not supported");
        if (v >= 1L << r.size()) throw error(vt, "value " + v + " can never equal the " + r.size() + "-bit register " + reg.text());
        QasmToken body = peek();
        if (body.is("barrier") || body.is("if") || body.is("gate") || body.is("qreg") || body.is("creg") || body.is("opaque"))
            throw error(body, "'if' guards a gate, measure or reset, not '" + body.text() + "'");
        quantumOp(new Guard(r.first(), r.size(), v));
    }

    /** A gate application, measure or reset, guarded by {@code cond} unless null. */
    private void quantumOp(Guard cond) throws QasmParseException {
        QasmToken t = identifier("a gate, measure or reset");
        switch (t.text()) {
            case "measure" -> {
                QasmToken at = peek();
                int[] qs = qubitArg();
                expect("->");
                int[] cs = clbitArg();
                expect(";");
                if (qs.length != cs.length) throw error(at, "measure of " + qs.length + " qubit(s) into " + cs.length + " classical bit(s)");
                for (int i = 0; i < qs.length; i++) emit(guard(cond, new Op.Measure(qs[i], cs[i])));
            }
            case "reset" -> {
                int[] qs = qubitArg();
                expect(";");
                for (int q : qs) emit(guard(cond, new Op.Reset(q)));
            }
            case "gate", "opaque", "qreg", "creg", "include" -> throw error(t, "'" + t.text() + "' is not allowed here");
            default -> {
                List<QasmExpr> args = new ArrayList<>();
                if (accept("(")) {
                    if (!peek().is(")")) {
                        do args.add(expr(List.of())); while (accept(","));
                    }
                    expect(")");
                }
                List<int[]> qargs = new ArrayList<>();
                List<QasmToken> qtoks = new ArrayList<>();
                do {
                    qtoks.add(peek());
                    qargs.add(qubitArg());
                } while (accept(","));
                expect(";");
                checkCallable(t, args.size(), qargs.size());
                if (ops.size() + expandedSize.getOrDefault(t.text(), 1L) > MAX_OPS)
                    throw error(t, "circuit too large (more than " + MAX_OPS + " operations)");
                double[] values = new double[args.size()];
                for (int i = 0; i < values.length; i++) values[i] = finite(t, args.get(i).eval(Map.of()));
                int width = 1;
                for (int[] a : qargs) {
                    if (a.length == 1) continue;
                    if (width != 1 && a.length != width) throw error(t, "registers of different sizes (" + width + " and " + a.length + ") in one gate application");
                    width = a.length;
                }
                for (int i = 0; i < width; i++) {
                    int[] qs = new int[qargs.size()];
                    for (int k = 0; k < qs.length; k++) qs[k] = qargs.get(k).length == 1 ? qargs.get(k)[0] : qargs.get(k)[i];
                    for (int a = 0; a < qs.length; a++)
                        for (int b = a + 1; b < qs.length; b++)
                            if (qs[a] == qs[b]) throw error(qtoks.get(b), "gate '" + t.text() + "' applied to the same qubit twice");
                    apply(t, t.text(), values, qs, cond, 0);
                }
            }
        }
    }

    /** Emits a named gate on qubits, expanding definitions. */
    private void apply(QasmToken at, String name, double[] args, int[] qs, Guard cond, int level) throws QasmParseException {
        if (level > MAX_DEPTH) throw error(at, "gate definitions nested too deeply");
        QasmGateDef def = gates.get(name);
        if (name.equals("U")) {
            emit(guard(cond, gate(GateKind.U3, args, qs)));
        } else if (name.equals("CX")) {
            emit(guard(cond, gate(GateKind.CX, args, qs)));
        } else if (def != null) {
            if (def.opaque()) throw error(at, "opaque gate '" + name + "' has no definition to import");
            Map<String, Double> env = new HashMap<>();
            for (int i = 0; i < args.length; i++) env.put(def.params().get(i), args[i]);
            Map<String, Integer> qmap = new HashMap<>();
            for (int i = 0; i < qs.length; i++) qmap.put(def.qargs().get(i), qs[i]);
            for (QasmGateDef.Stmt s : def.body()) {
                switch (s) {
                    case QasmGateDef.Barrier b -> {
                        if (cond == null) emit(new Op.Barrier(b.qargs().stream().map(qmap::get).collect(ImmutableList.toImmutableList())));
                    }
                    case QasmGateDef.Call call -> {
                        double[] v = new double[call.args().size()];
                        for (int i = 0; i < v.length; i++) v[i] = finite(at, call.args().get(i).eval(env));
                        int[] inner = call.qargs().stream().mapToInt(qmap::get).toArray();
                        apply(at, call.name(), v, inner, cond, level + 1);
                    }
                }
            }
        } else {
            GateKind k = Qelib1.KINDS.get(name);
            if (k == null) throw error(at, "unknown gate '" + name + "'");
            emit(guard(cond, gate(k, name.equals("u0") ? new double[0] : args, qs)));
        }
    }

    private static Op.Gate gate(GateKind k, double[] args, int[] qs) {
        ImmutableList.Builder<Angle> as = ImmutableList.builder();
        for (double a : args) as.add(Angle.of(a));
        return Op.Gate.of(k, as.build(), qs);
    }

    private static Op guard(Guard cond, Op body) {
        return cond == null ? body : new Op.Conditional(cond.first(), cond.width(), cond.value(), body);
    }

    private void emit(Op op) throws QasmParseException {
        if (ops.size() >= MAX_OPS) throw error(peek(), "circuit too large (more than " + MAX_OPS + " operations)");
        ops.add(op);
    }

    private double finite(QasmToken at, double v) throws QasmParseException {
        if (!Double.isFinite(v)) throw error(at, "gate parameter evaluates to " + v);
        return v + 0.0;
    }

    // ------------------------------------------------------------------ arguments

    /** {@code q} (a whole register) or {@code q[i]}: the flat qubit indices. */
    private int[] qubitArg() throws QasmParseException {
        return bitArg(qregs, cregs, "quantum");
    }

    private int[] clbitArg() throws QasmParseException {
        return bitArg(cregs, qregs, "classical");
    }

    private int[] bitArg(Map<String, Register> regs, Map<String, Register> other, String kind) throws QasmParseException {
        QasmToken name = identifier(kind + " register");
        Register r = regs.get(name.text());
        if (r == null) throw error(name, other.containsKey(name.text())
                ? "'" + name.text() + "' is not a " + kind + " register"
                : "unknown " + kind + " register '" + name.text() + "'");
        if (!accept("[")) {
            int[] all = new int[r.size()];
            for (int i = 0; i < all.length; i++) all[i] = r.first() + i;
            return all;
        }
        QasmToken it = peek();
        long i = integer("index");
        expect("]");
        if (i >= r.size()) throw error(it, "index " + i + " out of range for " + name.text() + "[" + r.size() + "]");
        return new int[] {r.first() + (int) i};
    }

    // ------------------------------------------------------------------ expressions

    private QasmExpr expr(List<String> params) throws QasmParseException {
        if (++depth > MAX_DEPTH) throw error(peek(), "expression nested too deeply");
        QasmExpr e = term(params);
        while (peek().is("+") || peek().is("-")) {
            char op = next().text().charAt(0);
            e = new QasmExpr.Binary(op, e, term(params));
        }
        depth--;
        return e;
    }

    private QasmExpr term(List<String> params) throws QasmParseException {
        QasmExpr e = unary(params);
        while (peek().is("*") || peek().is("/")) {
            char op = next().text().charAt(0);
            e = new QasmExpr.Binary(op, e, unary(params));
        }
        return e;
    }

    private QasmExpr unary(List<String> params) throws QasmParseException {
        if (accept("-")) {
            if (++depth > MAX_DEPTH) throw error(peek(), "expression nested too deeply");
            QasmExpr e = new QasmExpr.Neg(unary(params));
            depth--;
            return e;
        }
        if (accept("+")) return unary(params);
        QasmExpr base = primary(params);
        if (accept("^")) {
            if (++depth > MAX_DEPTH) throw error(peek(), "expression nested too deeply");
            QasmExpr e = new QasmExpr.Binary('^', base, unary(params));
            depth--;
            return e;
        }
        return base;
    }

    private QasmExpr primary(List<String> params) throws QasmParseException {
        QasmToken t = next();
        switch (t.kind()) {
            case REAL, INT -> {
                double v = Double.parseDouble(t.text());
                if (!Double.isFinite(v)) throw error(t, "number out of range: " + t.text());
                return new QasmExpr.Num(v);
            }
            case ID -> {
                if (t.text().equals("pi")) return new QasmExpr.Num(Math.PI);
                if (Set.of("sin", "cos", "tan", "exp", "ln", "sqrt").contains(t.text())) {
                    expect("(");
                    QasmExpr arg = expr(params);
                    expect(")");
                    return new QasmExpr.Call(t.text(), arg);
                }
                if (params.contains(t.text())) return new QasmExpr.Param(t.text());
                throw error(t, "unknown parameter '" + t.text() + "'");
            }
            default -> {
                if (t.is("(")) {
                    QasmExpr e = expr(params);
                    expect(")");
                    return e;
                }
                throw error(t, "expected an expression, found " + t.describe());
            }
        }
    }

    // ------------------------------------------------------------------ tokens

    private String uniqueName(List<String> seen, String what) throws QasmParseException {
        QasmToken t = declaredName(what);
        if (seen.contains(t.text())) throw error(t, "duplicate " + what + " '" + t.text() + "'");
        return t.text();
    }

    private QasmToken identifier(String what) throws QasmParseException {
        QasmToken t = next();
        if (t.kind() != QasmToken.Kind.ID) throw error(t, "expected " + what + ", found " + t.describe());
        return t;
    }

    /** An identifier being declared (register, gate, parameter or qubit argument): not a keyword. */
    private QasmToken declaredName(String what) throws QasmParseException {
        QasmToken t = identifier(what);
        if (RESERVED.contains(t.text())) throw error(t, "'" + t.text() + "' is reserved and cannot be used as " + what);
        return t;
    }

    private long integer(String what) throws QasmParseException {
        QasmToken t = next();
        if (t.kind() != QasmToken.Kind.INT) throw error(t, "expected " + what + " (a non-negative integer), found " + t.describe());
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw error(t, what + " too large: " + t.text());
        }
    }

    private QasmToken peek() { return toks.get(pos); }

    private QasmToken next() {
        QasmToken t = toks.get(pos);
        if (t.kind() != QasmToken.Kind.EOF) pos++;
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) { pos++; return true; }
        return false;
    }

    private void expect(String s) throws QasmParseException {
        QasmToken t = peek();
        if (!t.is(s)) throw error(t, "expected '" + s + "', found " + t.describe());
        pos++;
    }

    private static QasmParseException error(QasmToken t, String msg) { return new QasmParseException(t.line(), t.col(), msg); }
}
