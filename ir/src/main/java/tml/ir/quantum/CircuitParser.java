package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tml.ir.quantum.CircuitLexer.Kind;
import tml.ir.quantum.CircuitLexer.Token;

/**
 * Reads the textual circuit IR written by {@link CircuitPrinter}. Besides syntax it checks what a
 * position can be given for: gate names and arities, declared parameters, index ranges, distinct
 * gate operands. Angles are affine in parameters and inputs; {@code *} and {@code /} need a
 * constant on one side (the divisor).
 */
public final class CircuitParser {
    private static final int MAX_DEPTH = 200;

    private final List<Token> toks;
    private int pos;
    private int numQubits;
    private int numClbits;
    private int numInputs;
    private final Set<String> params = new HashSet<>();
    private int depth;

    private CircuitParser(List<Token> toks) { this.toks = toks; }

    public static Circuit parse(String text) throws CircuitParseException {
        CircuitParser p = new CircuitParser(CircuitLexer.lex(text));
        Circuit c = p.circuit();
        p.expectKind(Kind.EOF, "end of input");
        return c;
    }

    private Circuit circuit() throws CircuitParseException {
        expect("circuit");
        String name = ident("circuit name").text();
        expect("qubits");
        numQubits = count("qubit count");
        if (peek().is("clbits")) { next(); numClbits = count("classical bit count"); }
        if (peek().is("inputs")) { next(); numInputs = count("input count"); }
        List<String> paramList = new ArrayList<>();
        if (peek().is("params")) {
            next();
            do {
                Token t = ident("parameter name");
                if (t.text().equals("pi") || t.text().equals("x")) throw error(t, "'" + t.text() + "' cannot name a parameter");
                if (!params.add(t.text())) throw error(t, "duplicate parameter '" + t.text() + "'");
                paramList.add(t.text());
            } while (accept(","));
        }
        expect("{");
        List<Op> ops = new ArrayList<>();
        while (!peek().is("}")) {
            if (peek().kind() == Kind.EOF) throw error(peek(), "expected '}' to close circuit " + name);
            ops.add(op(true));
        }
        expect("}");
        return new Circuit(name, numQubits, numClbits, ImmutableList.copyOf(paramList), numInputs, ImmutableList.copyOf(ops));
    }

    private Op op(boolean allowIf) throws CircuitParseException {
        Token t = ident("an operation");
        switch (t.text()) {
            case "measure" -> {
                int q = qubit();
                expect("->");
                int c = clbit();
                return new Op.Measure(q, c);
            }
            case "reset" -> { return new Op.Reset(qubit()); }
            case "barrier" -> {
                List<Integer> qs = new ArrayList<>();
                if (peek().is("q")) qs = qubitList();
                return new Op.Barrier(ImmutableList.copyOf(qs));
            }
            case "if" -> {
                if (!allowIf) throw error(t, "a condition cannot guard another condition");
                expect("(");
                Token c = peek();
                expect("c");
                expect("[");
                int lo = index("classical bit");
                int hi = lo + 1;
                if (accept(":")) hi = index("classical bit");
                expect("]");
                if (hi <= lo) throw error(c, "empty classical bit range c[" + lo + ":" + hi + "]");
                if (hi > numClbits) throw error(c, "classical bit range c[" + lo + ":" + hi + "] exceeds the " + numClbits + " classical bit(s)");
                if (hi - lo > 62) throw error(c, "a condition reads at most 62 bits");
                expect("==");
                Token vt = peek();
                long value = longValue("condition value");
                if (value >= (1L << (hi - lo))) throw error(vt, "value " + value + " does not fit in " + (hi - lo) + " bit(s)");
                expect(")");
                Token bt = peek();
                Op body = op(false);
                if (body instanceof Op.Barrier) throw error(bt, "a condition cannot guard a barrier");
                return new Op.Conditional(lo, hi - lo, value, body);
            }
            default -> { return gate(t); }
        }
    }

    private Op gate(Token t) throws CircuitParseException {
        GateKind kind = GateKind.byMnemonic(t.text()).orElseThrow(() -> error(t, "unknown gate '" + t.text() + "'"));
        List<Angle> angles = new ArrayList<>();
        if (accept("(")) {
            do angles.add(expr()); while (accept(","));
            expect(")");
        }
        if (angles.size() != kind.numAngles())
            throw error(t, kind.mnemonic() + " takes " + kind.numAngles() + " angle(s), got " + angles.size());
        List<Integer> qs = qubitList();
        if (qs.size() != kind.numQubits())
            throw error(t, kind.mnemonic() + " acts on " + kind.numQubits() + " qubit(s), got " + qs.size());
        if (new HashSet<>(qs).size() != qs.size()) throw error(t, kind.mnemonic() + " repeats a qubit operand");
        return new Op.Gate(kind, ImmutableList.copyOf(angles), ImmutableList.copyOf(qs));
    }

    private List<Integer> qubitList() throws CircuitParseException {
        List<Integer> qs = new ArrayList<>();
        do qs.add(qubit()); while (accept(","));
        return qs;
    }

    private int qubit() throws CircuitParseException {
        Token t = peek();
        expect("q");
        expect("[");
        int i = index("qubit");
        expect("]");
        if (i >= numQubits) throw error(t, "qubit q[" + i + "] out of range (circuit has " + numQubits + ")");
        return i;
    }

    private int clbit() throws CircuitParseException {
        Token t = peek();
        expect("c");
        expect("[");
        int i = index("classical bit");
        expect("]");
        if (i >= numClbits) throw error(t, "classical bit c[" + i + "] out of range (circuit has " + numClbits + ")");
        return i;
    }

    // ---- angle expressions: sum of products of signed primaries, affine-checked ----

    private Angle expr() throws CircuitParseException {
        if (++depth > MAX_DEPTH) throw error(peek(), "expression nested too deeply");
        Angle a = product();
        while (peek().is("+") || peek().is("-")) {
            Token op = next();
            Angle b = product();
            try {
                a = op.is("+") ? a.plus(b) : a.minus(b);
            } catch (IllegalArgumentException e) {
                throw error(op, "angle overflows");
            }
        }
        depth--;
        return a;
    }

    private Angle product() throws CircuitParseException {
        Angle a = unary();
        while (peek().is("*") || peek().is("/")) {
            Token op = next();
            Angle b = unary();
            try {
                a = applyProduct(op, a, b);
            } catch (IllegalArgumentException e) {
                throw error(op, "angle overflows");
            }
        }
        return a;
    }

    private Angle applyProduct(Token op, Angle a, Angle b) throws CircuitParseException {
        if (op.is("*")) {
            if (b.isConstant()) return a.times(b.constant());
            if (a.isConstant()) return b.times(a.constant());
            throw error(op, "angles must be affine: cannot multiply two non-constant expressions");
        }
        if (!b.isConstant()) throw error(op, "angles must be affine: cannot divide by a non-constant expression");
        if (b.constant() == 0) throw error(op, "division by zero");
        return a.dividedBy(b.constant());
    }

    private Angle unary() throws CircuitParseException {
        if (accept("-")) {
            if (++depth > MAX_DEPTH) throw error(peek(), "expression nested too deeply");
            Angle a = unary().negate();
            depth--;
            return a;
        }
        if (accept("+")) return unary();
        Token t = next();
        if (t.kind() == Kind.NUMBER) {
            double v = Double.parseDouble(t.text());
            if (!Double.isFinite(v)) throw error(t, "number out of range: " + t.text());
            return Angle.of(v);
        }
        if (t.is("(")) {
            Angle a = expr();
            expect(")");
            return a;
        }
        if (t.kind() == Kind.IDENT) {
            if (t.text().equals("pi")) return Angle.of(Math.PI);
            if (t.text().equals("x") && peek().is("[")) {
                next();
                int i = index("input");
                expect("]");
                if (i >= numInputs) throw error(t, "input x[" + i + "] out of range (circuit has " + numInputs + ")");
                return Angle.input(i);
            }
            if (!params.contains(t.text())) throw error(t, "unknown parameter '" + t.text() + "'");
            return Angle.param(t.text());
        }
        throw error(t, "expected an angle expression, found " + t.describe());
    }

    // ---- token helpers ----

    private int count(String what) throws CircuitParseException {
        Token t = peek();
        long v = longValue(what);
        if (v > 1 << 20) throw error(t, what + " too large: " + v);
        return (int) v;
    }

    private int index(String what) throws CircuitParseException {
        Token t = peek();
        long v = longValue(what + " index");
        if (v > Integer.MAX_VALUE) throw error(t, what + " index too large: " + v);
        return (int) v;
    }

    private long longValue(String what) throws CircuitParseException {
        Token t = next();
        if (t.kind() != Kind.NUMBER || !t.text().chars().allMatch(Character::isDigit))
            throw error(t, "expected " + what + " (a non-negative integer), found " + t.describe());
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw error(t, what + " too large: " + t.text());
        }
    }

    private Token ident(String what) throws CircuitParseException {
        Token t = next();
        if (t.kind() != Kind.IDENT) throw error(t, "expected " + what + ", found " + t.describe());
        return t;
    }

    private Token peek() { return toks.get(pos); }

    private Token next() {
        Token t = toks.get(pos);
        if (t.kind() != Kind.EOF) pos++;
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) { pos++; return true; }
        return false;
    }

    private void expect(String s) throws CircuitParseException {
        Token t = peek();
        if (!t.is(s)) throw error(t, "expected '" + s + "', found " + t.describe());
        pos++;
    }

    private void expectKind(Kind k, String what) throws CircuitParseException {
        Token t = peek();
        if (t.kind() != k) throw error(t, "expected " + what + ", found " + t.describe());
    }

    private static CircuitParseException error(Token t, String msg) { return new CircuitParseException(t.line(), t.col(), msg); }
}
