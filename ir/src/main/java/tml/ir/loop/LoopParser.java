package tml.ir.loop;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tml.ir.graph.IrParseException;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Stmt.*;

/**
 * Reads the textual loop IR written by {@link LoopPrinter}. Errors are {@link IrParseException}s
 * ({@code file:line:col: error: ...}); {@link #parse} also runs the {@link LoopVerifier}.
 */
public final class LoopParser {
    private enum Kind { WORD, PERCENT, AT, DOLLAR, INT, FLOAT, PUNCT, EOF }

    private record Token(Kind kind, String text, int line, int col, Object value) {}

    private final String file;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private LoopParser(String src, String file) throws IrParseException {
        this.file = file;
        new Lexer(src).run();
    }

    /** Parses and verifies. */
    public static Program parse(String src, String file) throws IrParseException {
        Program p = parseUnverified(src, file);
        List<String> problems = LoopVerifier.verify(p);
        if (!problems.isEmpty()) throw new IrParseException(file, 1, 1, "invalid program: " + problems.get(0));
        return p;
    }

    public static Program parseUnverified(String src, String file) throws IrParseException {
        LoopParser p = new LoopParser(src, file);
        Program prog = p.program();
        p.expectEof();
        return prog;
    }

    /** Parses one statement (for tests and tools). */
    public static Stmt parseStmt(String src, String file) throws IrParseException {
        LoopParser p = new LoopParser(src, file);
        Stmt s = p.stmt();
        p.expectEof();
        return s;
    }

    /** Parses one expression (for tests and tools). */
    public static Expr parseExpr(String src, String file) throws IrParseException {
        LoopParser p = new LoopParser(src, file);
        Expr e = p.expr(1);
        p.expectEof();
        return e;
    }

    // ---------------- lexer ----------------

    private final class Lexer {
        final String s;
        int i, line = 1, col = 1;

        Lexer(String s) { this.s = s; }

        void run() throws IrParseException {
            while (true) {
                skipSpace();
                if (i >= s.length()) {
                    tokens.add(new Token(Kind.EOF, "end of input", line, col, null));
                    return;
                }
                int l = line, c = col;
                char ch = s.charAt(i);
                if (ch == '@' || ch == '$' || (ch == '%' && i + 1 < s.length() && startsName(s.charAt(i + 1)))) {
                    advance(1);
                    String n = name(ch == '$', l, c);
                    tokens.add(new Token(ch == '%' ? Kind.PERCENT : ch == '@' ? Kind.AT : Kind.DOLLAR, n, l, c, null));
                } else if (Character.isDigit(ch)) {
                    number(l, c);
                } else if (Character.isLetter(ch) || ch == '_') {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) advance(1);
                    tokens.add(new Token(Kind.WORD, s.substring(start, i), l, c, null));
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    if (List.of("..", "<=", ">=", "==", "!=", "&&", "||").contains(two)) {
                        advance(2);
                        tokens.add(new Token(Kind.PUNCT, two, l, c, null));
                    } else if ("{}[]()=:,+-*/%<>?".indexOf(ch) >= 0) {
                        advance(1);
                        tokens.add(new Token(Kind.PUNCT, String.valueOf(ch), l, c, null));
                    } else {
                        throw new IrParseException(file, l, c, "unexpected character '" + printable(ch) + "'");
                    }
                }
            }
        }

        /** After '%': a buffer name follows (else '%' is the remainder operator, written with spaces). */
        boolean startsName(char ch) { return ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '"'); }

        void advance(int n) {
            for (int k = 0; k < n; k++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
                i++;
            }
        }

        void skipSpace() {
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                    advance(1);
                } else if (ch == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                    while (i < s.length() && s.charAt(i) != '\n') advance(1);
                } else {
                    return;
                }
            }
        }

        String name(boolean scalar, int l, int c) throws IrParseException {
            if (i < s.length() && s.charAt(i) == '"') return quoted(l, c);
            int start = i;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || (!scalar && ch == '.'))) advance(1);
                else break;
            }
            if (start == i) throw new IrParseException(file, l, c, "expected a name after '" + s.charAt(start - 1) + "'");
            return s.substring(start, i);
        }

        String quoted(int l, int c) throws IrParseException {
            advance(1);
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length() || s.charAt(i) == '\n') throw new IrParseException(file, l, c, "unterminated quoted name");
                char ch = s.charAt(i);
                if (ch == '"') {
                    advance(1);
                    return b.toString();
                }
                if (ch == '\\') {
                    if (i + 1 >= s.length()) throw new IrParseException(file, line, col, "unterminated escape");
                    char e = s.charAt(i + 1);
                    switch (e) {
                        case '"', '\\' -> b.append(e);
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'u' -> {
                            if (i + 6 > s.length()) throw new IrParseException(file, line, col, "bad \\u escape");
                            try {
                                b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                            } catch (NumberFormatException ex) {
                                throw new IrParseException(file, line, col, "bad \\u escape");
                            }
                            advance(4);
                        }
                        default -> throw new IrParseException(file, line, col, "unknown escape '\\" + printable(e) + "'");
                    }
                    advance(2);
                } else {
                    b.append(ch);
                    advance(1);
                }
            }
        }

        void number(int l, int c) throws IrParseException {
            int start = i;
            boolean isFloat = false;
            while (i < s.length() && Character.isDigit(s.charAt(i))) advance(1);
            if (i + 1 < s.length() && s.charAt(i) == '.' && Character.isDigit(s.charAt(i + 1))) {
                isFloat = true;
                advance(1);
                while (i < s.length() && Character.isDigit(s.charAt(i))) advance(1);
            }
            if (i < s.length() && (s.charAt(i) == 'E' || s.charAt(i) == 'e')) {
                isFloat = true;
                advance(1);
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) advance(1);
                int d = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) advance(1);
                if (d == i) throw new IrParseException(file, l, c, "malformed number '" + s.substring(start, i) + "'");
            }
            String text = s.substring(start, i);
            if (i < s.length() && s.charAt(i) == 'd') {
                advance(1);
                tokens.add(new Token(Kind.FLOAT, text + "d", l, c, new FloatConst(Double.parseDouble(text), ScalarType.F64)));
            } else if (isFloat) {
                tokens.add(new Token(Kind.FLOAT, text, l, c, new FloatConst(Float.parseFloat(text), ScalarType.F32)));
            } else {
                tokens.add(new Token(Kind.INT, text, l, c, text));
            }
            if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                throw new IrParseException(file, line, col, "unexpected '" + printable(s.charAt(i)) + "' after number " + text);
            }
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    // ---------------- parser ----------------

    private Token peek() { return tokens.get(pos); }

    private Token peek(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Kind.EOF) pos++;
        return t;
    }

    private boolean isPunct(String p) { return peek().kind == Kind.PUNCT && peek().text.equals(p); }

    private boolean isWord(String w) { return peek().kind == Kind.WORD && peek().text.equals(w); }

    private IrParseException error(Token t, String what) {
        String found = switch (t.kind) {
            case EOF -> "end of input";
            case PERCENT -> "'%" + t.text + "'";
            case AT -> "'@" + t.text + "'";
            case DOLLAR -> "'$" + t.text + "'";
            default -> "'" + t.text + "'";
        };
        return new IrParseException(file, t.line, t.col, "expected " + what + ", found " + found);
    }

    private Token expectPunct(String p) throws IrParseException {
        if (!isPunct(p)) throw error(peek(), "'" + p + "'");
        return next();
    }

    private Token expectWord(String w) throws IrParseException {
        if (!isWord(w)) throw error(peek(), "'" + w + "'");
        return next();
    }

    private String expect(Kind k, String what) throws IrParseException {
        if (peek().kind != k) throw error(peek(), what);
        return next().text;
    }

    private void expectEof() throws IrParseException {
        if (peek().kind != Kind.EOF) throw error(peek(), "end of input");
    }

    private long integer(String what) throws IrParseException {
        boolean neg = false;
        Token start = peek();
        if (isPunct("-")) {
            next();
            neg = true;
        }
        if (peek().kind != Kind.INT) throw error(start, what);
        Token t = next();
        try {
            return Long.parseLong((neg ? "-" : "") + t.text);
        } catch (NumberFormatException e) {
            throw new IrParseException(file, t.line, t.col, "integer " + t.text + " is out of range");
        }
    }

    private int smallInt(String what) throws IrParseException {
        Token t = peek();
        long v = integer(what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IrParseException(file, t.line, t.col, what + " " + v + " is out of range");
        return (int) v;
    }

    private Program program() throws IrParseException {
        expectWord("program");
        String name = expect(Kind.AT, "'@name' of the program");
        expectPunct("{");
        expectWord("arena");
        long arena = integer("the arena size in bytes");
        expectWord("weights");
        long weights = integer("the weights size in bytes");
        List<Buffer> buffers = new ArrayList<>();
        while (isWord("buffer")) buffers.add(buffer());
        List<Kernel> kernels = new ArrayList<>();
        while (isWord("kernel")) kernels.add(kernel());
        if (!isPunct("}")) throw error(peek(), isWord("buffer") ? "'kernel' or '}' (buffers come before kernels)" : "'buffer', 'kernel' or '}'");
        next();
        return new Program(name, arena, weights, ImmutableList.copyOf(buffers), ImmutableList.copyOf(kernels));
    }

    private Buffer buffer() throws IrParseException {
        expectWord("buffer");
        String name = expect(Kind.PERCENT, "'%name' of the buffer");
        expectPunct(":");
        ScalarType type = scalarType();
        expectPunct("[");
        Token ct = peek();
        long count = integer("the element count");
        if (count < 0) throw new IrParseException(file, ct.line, ct.col, "negative element count " + count);
        expectPunct("]");
        Token r = peek();
        if (r.kind != Kind.WORD) throw error(r, "a role: input, output, weight, arena, scratch or view");
        next();
        Role role = switch (r.text) {
            case "input" -> new Role.Input(smallInt("the input index"));
            case "output" -> new Role.Output(smallInt("the output index"));
            case "weight" -> new Role.Weight(offset(), packed());
            case "arena" -> new Role.Arena(offset());
            case "scratch" -> new Role.Scratch(offset());
            case "view" -> new Role.View(expect(Kind.PERCENT, "'%source' of the view"));
            default -> throw error(r, "a role: input, output, weight, arena, scratch or view");
        };
        return new Buffer(name, type, count, role);
    }

    /** {@code = transform(%source)} after a weight's offset, or nothing. */
    private java.util.Optional<Buffer.Packed> packed() throws IrParseException {
        if (!isPunct("=")) return java.util.Optional.empty();
        next();
        Token t = peek();
        if (t.kind != Kind.WORD) throw error(t, "a weight transform such as winograd_f2x3");
        next();
        WeightTransform transform = WeightTransform.named(t.text)
                .orElseThrow(() -> new IrParseException(file, t.line, t.col, "unknown weight transform '" + t.text + "'"));
        expectPunct("(");
        String source = expect(Kind.PERCENT, "'%parameter' the weight is made from");
        expectPunct(")");
        return java.util.Optional.of(new Buffer.Packed(transform, source));
    }

    private long offset() throws IrParseException {
        if (isPunct("?")) {
            next();
            return Role.UNPLANNED;
        }
        Token t = peek();
        long v = integer("a byte offset or '?'");
        if (v < 0) throw new IrParseException(file, t.line, t.col, "negative offset " + v);
        return v;
    }

    private ScalarType scalarType() throws IrParseException {
        Token t = peek();
        if (t.kind == Kind.WORD) {
            Optional<ScalarType> st = ScalarType.fromText(t.text);
            if (st.isPresent()) {
                next();
                return st.get();
            }
        }
        throw error(t, "a type (index, f32, f64, bool)");
    }

    private Kernel kernel() throws IrParseException {
        expectWord("kernel");
        String name = expect(Kind.AT, "'@name' of the kernel");
        List<String> inPlace = new ArrayList<>();
        if (isWord("inplace")) {
            next();
            expectPunct("(");
            inPlace.add(expect(Kind.PERCENT, "a '%buffer'"));
            while (isPunct(",")) {
                next();
                inPlace.add(expect(Kind.PERCENT, "a '%buffer'"));
            }
            expectPunct(")");
        }
        return new Kernel(name, ImmutableList.copyOf(inPlace), block());
    }

    private Block block() throws IrParseException {
        expectPunct("{");
        List<Stmt> stmts = new ArrayList<>();
        while (!isPunct("}")) {
            if (peek().kind == Kind.EOF) throw error(peek(), "a statement or '}'");
            stmts.add(stmt());
        }
        next();
        return new Block(ImmutableList.copyOf(stmts));
    }

    private Stmt stmt() throws IrParseException {
        Token t = peek();
        switch (t.kind) {
            case PERCENT -> {
                String buf = next().text;
                expectPunct("[");
                Expr index = expr(1);
                expectPunct("]");
                expectPunct("=");
                return new Store(buf, index, expr(1));
            }
            case DOLLAR -> {
                String var = next().text;
                expectPunct("=");
                return new Assign(var, expr(1));
            }
            case PUNCT -> {
                if (t.text.equals("{")) return block();
            }
            case WORD -> {
                switch (t.text) {
                    case "for" -> {
                        next();
                        String var = expect(Kind.DOLLAR, "a '$variable'");
                        expectWord("in");
                        Expr lo = expr(1);
                        expectPunct("..");
                        Expr hi = expr(1);
                        Annotation a = annotation();
                        return new For(var, lo, hi, a, block());
                    }
                    case "if" -> {
                        next();
                        Expr cond = expr(1);
                        Block then = block();
                        Optional<Block> otherwise = Optional.empty();
                        if (isWord("else")) {
                            next();
                            otherwise = Optional.of(block());
                        }
                        return new If(cond, then, otherwise);
                    }
                    case "var" -> {
                        next();
                        String name = expect(Kind.DOLLAR, "a '$name'");
                        expectPunct(":");
                        ScalarType type = scalarType();
                        expectPunct("=");
                        return new Local(name, type, expr(1));
                    }
                    default -> { }
                }
            }
            default -> { }
        }
        throw error(t, "a statement (for, if, var, '%buffer[i] = ...', '$x = ...' or '{')");
    }

    private Annotation annotation() throws IrParseException {
        Token t = peek();
        if (t.kind != Kind.WORD) return Annotation.SERIAL;
        switch (t.text) {
            case "serial" -> {
                next();
                return Annotation.SERIAL;
            }
            case "parallel" -> {
                next();
                return Annotation.PARALLEL;
            }
            case "unroll", "vectorize" -> {
                next();
                expectPunct("(");
                int k = smallInt("a factor");
                expectPunct(")");
                return t.text.equals("unroll") ? new Annotation.Unroll(k) : new Annotation.Vectorize(k);
            }
            default -> throw error(t, "'{' or a loop annotation (serial, unroll(k), vectorize(w), parallel)");
        }
    }

    private static BinOp infix(Token t) {
        if (t.kind != Kind.PUNCT) return null;
        for (BinOp op : BinOp.values()) if (op.isInfix() && op.symbol.equals(t.text)) return op;
        return null;
    }

    /** Precedence climbing: operators binding at least {@code min}; comparisons do not chain. */
    private Expr expr(int min) throws IrParseException {
        Expr left = primary();
        while (true) {
            BinOp op = infix(peek());
            if (op == null || op.precedence < min) return left;
            Token opTok = next();
            Expr right = expr(op.precedence + 1);
            left = new Binary(op, left, right);
            if (op.isComparison() && infix(peek()) != null && infix(peek()).isComparison()) {
                throw new IrParseException(file, peek().line, peek().col,
                        "comparisons do not chain; add parentheses after '" + opTok.text + "'");
            }
        }
    }

    private Expr primary() throws IrParseException {
        Token t = peek();
        switch (t.kind) {
            case INT -> {
                next();
                try {
                    return new IntConst(Long.parseLong(t.text));
                } catch (NumberFormatException e) {
                    throw new IrParseException(file, t.line, t.col, "integer " + t.text + " is out of range");
                }
            }
            case FLOAT -> {
                next();
                return (FloatConst) t.value;
            }
            case DOLLAR -> {
                next();
                return new Var(t.text);
            }
            case PERCENT -> {
                next();
                expectPunct("[");
                Expr index = expr(1);
                expectPunct("]");
                return new Load(t.text, index);
            }
            case PUNCT -> {
                if (t.text.equals("(")) {
                    next();
                    Expr e = expr(1);
                    expectPunct(")");
                    return e;
                }
                if (t.text.equals("-")) {
                    next();
                    Token n = peek();
                    if (n.kind == Kind.INT) {
                        next();
                        try {
                            return new IntConst(Long.parseLong("-" + n.text));
                        } catch (NumberFormatException e) {
                            throw new IrParseException(file, n.line, n.col, "integer -" + n.text + " is out of range");
                        }
                    }
                    if (n.kind == Kind.FLOAT) {
                        next();
                        FloatConst f = (FloatConst) n.value;
                        return new FloatConst(-f.value(), f.type());
                    }
                    if (n.kind == Kind.WORD && (n.text.equals("Infinity") || n.text.equals("Infinityd"))) {
                        next();
                        return new FloatConst(Double.NEGATIVE_INFINITY, n.text.endsWith("d") ? ScalarType.F64 : ScalarType.F32);
                    }
                    throw error(n, "a number after '-' (negation is written 0 - x)");
                }
            }
            case WORD -> {
                switch (t.text) {
                    case "NaN", "Infinity" -> {
                        next();
                        return new FloatConst(t.text.equals("NaN") ? Double.NaN : Double.POSITIVE_INFINITY, ScalarType.F32);
                    }
                    case "NaNd", "Infinityd" -> {
                        next();
                        return new FloatConst(t.text.equals("NaNd") ? Double.NaN : Double.POSITIVE_INFINITY, ScalarType.F64);
                    }
                    case "min", "max" -> {
                        next();
                        List<Expr> args = args(2, t);
                        return new Binary(t.text.equals("min") ? BinOp.MIN : BinOp.MAX, args.get(0), args.get(1));
                    }
                    case "select" -> {
                        next();
                        List<Expr> args = args(3, t);
                        return new Select(args.get(0), args.get(1), args.get(2));
                    }
                    case "exp", "tanh", "sqrt" -> {
                        next();
                        Intrinsic fn = switch (t.text) {
                            case "exp" -> Intrinsic.EXP;
                            case "tanh" -> Intrinsic.TANH;
                            default -> Intrinsic.SQRT;
                        };
                        return new Call(fn, args(1, t).get(0));
                    }
                    case "index", "f32", "f64", "bool" -> {
                        next();
                        return new Cast(ScalarType.fromText(t.text).orElseThrow(), args(1, t).get(0));
                    }
                    default -> { }
                }
            }
            default -> { }
        }
        throw error(t, "an expression");
    }

    private List<Expr> args(int n, Token fn) throws IrParseException {
        expectPunct("(");
        List<Expr> args = new ArrayList<>();
        args.add(expr(1));
        while (isPunct(",")) {
            next();
            args.add(expr(1));
        }
        expectPunct(")");
        if (args.size() != n) {
            throw new IrParseException(file, fn.line, fn.col, fn.text + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
        }
        return args;
    }
}
