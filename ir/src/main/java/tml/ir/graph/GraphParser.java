package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the textual graph IR written by {@link GraphPrinter}. Grammar (whitespace and newlines are
 * insignificant; {@code // comments} run to the end of the line):
 *
 * <pre>
 * file    := 'graph' SYM ['attributes' '{' 'layout' '=' ('nchw' | 'nhwc') '}'] '{' input* param* node* output* '}'
 * input   := 'input' VAL ':' type
 * param   := 'param' SYM ':' type '=' (('const' | 'uniform') '(' number ')' | 'computed') ['buffer']
 * node    := VAL '=' OP '(' [ref (',' ref)*] ')' ['{' [attr (',' attr)*] '}'] ':' type
 * output  := 'output' VAL '=' ref
 * type    := DTYPE '[' [int (',' int)*] ']'                     e.g. f32[1,3,224,224], f32[]
 * attr    := IDENT '=' (int | number | 'true' | 'false' | '[' [int (',' int)*] ']' | IDENT | STRING)
 * ref     := VAL | SYM          a param is written @name, an input or node %name
 * VAL     := '%' name           SYM := '@' name
 * name    := [A-Za-z0-9_.]+ | STRING
 * STRING  := '"' chars with escapes \" \\ \n \t \r \\uXXXX '"'     (the circuit of a quantum op)
 * number  := -?digits[.digits][(e|E)[+-]digits] | NaN | Infinity | -Infinity
 * </pre>
 *
 * An op must list all of its attributes except optional ones (any order; {@link GraphPrinter} uses a fixed one).
 * {@link #parse} also verifies the graph ({@link Verifier}) and reports the first problem at its place
 * in the text; {@link #parseUnverified} only checks the syntax and that {@code @} and {@code %} are used
 * for params and for other values respectively. Every error, for any input, is an {@link IrParseException}.
 */
public final class GraphParser {

    /** Parses and verifies {@code text}; {@code fileName} is used in error messages only. */
    public static Graph parse(String text, String fileName) throws IrParseException {
        GraphParser p = new GraphParser(text, fileName);
        try {
            Graph g = p.run();
            p.verify(g);
            return g;
        } catch (RuntimeException e) {
            throw p.internalError(e);
        }
    }

    /** Parses {@code text} without running the {@link Verifier} (for tests of the verifier and for tools). */
    public static Graph parseUnverified(String text, String fileName) throws IrParseException {
        GraphParser p = new GraphParser(text, fileName);
        try {
            return p.run();
        } catch (RuntimeException e) {
            throw p.internalError(e);
        }
    }

    /** The contract is that every input gives a graph or an IrParseException; a crash is reported as one too. */
    private IrParseException internalError(RuntimeException e) {
        IrParseException x = error(tok == null ? line : tok.line(), tok == null ? 1 : tok.col(),
                "internal error in the graph IR parser: " + e);
        x.initCause(e);
        return x;
    }

    // ---------------------------------------------------------------------------------------- lexer

    private enum T {
        IDENT("a name"), NUMBER("a number"), VAL("'%name'"), SYM("'@name'"), STRING("a quoted string"),
        LBRACE("'{'"), RBRACE("'}'"), LPAREN("'('"), RPAREN("')'"), LBRACK("'['"), RBRACK("']'"),
        COMMA("','"), COLON("':'"), EQUALS("'='"), EOF("the end of the file");
        final String what;
        T(String what) { this.what = what; }
    }

    /** A token; {@code text} is the decoded name for VAL and SYM. */
    private record Tok(T kind, String text, int line, int col) {}

    /** Where something is in the text. */
    private record Pos(int line, int col) {}

    private final String src;
    private final String fileName;
    private int pos;
    private int line = 1;
    private int lineStart;
    private Tok tok;

    private GraphParser(String text, String fileName) {
        this.src = java.util.Objects.requireNonNull(text, "text");
        this.fileName = fileName == null ? "<input>" : fileName;
    }

    private IrParseException error(int line, int col, String msg) {
        return new IrParseException(fileName, line, col, msg);
    }

    private IrParseException error(Tok t, String msg) { return error(t.line(), t.col(), msg); }

    private IrParseException error(Pos p, String msg) { return error(p.line(), p.col(), msg); }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

    private static boolean isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

    /** A piece of the input for a message, cut to a readable length. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String show(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** Reads the next token into {@link #tok}. */
    private void advance() throws IrParseException {
        // Skip whitespace and comments.
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else {
                break;
            }
        }
        int col = pos - lineStart + 1;
        if (pos >= src.length()) {
            tok = new Tok(T.EOF, "", line, col);
            return;
        }
        int start = pos;
        char c = src.charAt(pos);
        T single = switch (c) {
            case '{' -> T.LBRACE;
            case '}' -> T.RBRACE;
            case '(' -> T.LPAREN;
            case ')' -> T.RPAREN;
            case '[' -> T.LBRACK;
            case ']' -> T.RBRACK;
            case ',' -> T.COMMA;
            case ':' -> T.COLON;
            case '=' -> T.EQUALS;
            default -> null;
        };
        if (single != null) {
            pos++;
            tok = new Tok(single, String.valueOf(c), line, col);
        } else if (c == '%' || c == '@') {
            pos++;
            tok = new Tok(c == '%' ? T.VAL : T.SYM, name(c, col), line, col);
        } else if (c == '"') {
            tok = new Tok(T.STRING, quoted(), line, col);
        } else if (isIdentStart(c)) {
            while (pos < src.length() && isIdentChar(src.charAt(pos))) pos++;
            tok = new Tok(T.IDENT, src.substring(start, pos), line, col);
        } else if (isDigit(c) || c == '-') {
            tok = new Tok(T.NUMBER, number(col), line, col);
        } else {
            throw error(line, col, "unexpected character " + show(c));
        }
    }

    /** A name after a sigil at column {@code col}: bare or quoted. */
    private String name(char sigil, int col) throws IrParseException {
        if (pos < src.length() && src.charAt(pos) == '"') return quoted();
        int start = pos;
        while (pos < src.length() && GraphPrinter.isBareChar(src.charAt(pos))) pos++;
        if (pos == start) throw error(line, col, "expected a name after '" + sigil + "'");
        return src.substring(start, pos);
    }

    private String quoted() throws IrParseException {
        int openCol = pos - lineStart + 1;
        pos++; // the opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error(line, openCol, "unterminated quoted name");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            int escCol = pos - lineStart + 1;
            if (pos + 1 >= src.length()) throw error(line, openCol, "unterminated quoted name");
            char e = src.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = pos < src.length() ? Character.digit(src.charAt(pos), 16) : -1;
                        if (d < 0) throw error(line, escCol, "expected 4 hex digits after '\\u' in quoted name");
                        v = v * 16 + d;
                        pos++;
                    }
                    sb.append((char) v);
                }
                default -> throw error(line, escCol, "unknown escape '\\" + (e >= 0x20 && e < 0x7f ? String.valueOf(e)
                        : String.format("U+%04X", (int) e)) + "' in quoted name");
            }
        }
    }

    /** A number token: -?digits[.digits][(e|E)[+-]digits], or -Infinity. */
    private String number(int col) throws IrParseException {
        int start = pos;
        if (src.charAt(pos) == '-') {
            pos++;
            if (src.startsWith("Infinity", pos)) {
                pos += "Infinity".length();
                return "-Infinity";
            }
            if (pos >= src.length() || !isDigit(src.charAt(pos))) throw error(line, col, "unexpected character '-'");
        }
        while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        if (pos < src.length() && src.charAt(pos) == '.') {
            pos++;
            if (pos >= src.length() || !isDigit(src.charAt(pos))) throw error(line, col, "malformed number: expected a digit after '.'");
            while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (pos >= src.length() || !isDigit(src.charAt(pos))) throw error(line, col, "malformed number: expected a digit in the exponent");
            while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        }
        return src.substring(start, pos);
    }

    // --------------------------------------------------------------------------------------- parser

    private boolean at(T kind) { return tok.kind() == kind; }

    private boolean atWord(String word) { return tok.kind() == T.IDENT && tok.text().equals(word); }

    /** What the current token is, for messages: {@code 'foo'} or a kind such as {@code the end of the file}. */
    private String found() {
        return switch (tok.kind()) {
            case EOF -> "the end of the file";
            case VAL -> "'%" + clip(GraphPrinter.name(tok.text())) + "'";
            case SYM -> "'@" + clip(GraphPrinter.name(tok.text())) + "'";
            case STRING -> "a quoted string";
            default -> "'" + clip(tok.text()) + "'";
        };
    }

    private Tok expect(T kind, String message) throws IrParseException {
        if (tok.kind() != kind) throw error(tok, message + ", found " + found());
        Tok t = tok;
        advance();
        return t;
    }

    /** Positions of the parts of each element, to place verifier problems. */
    private final List<Pos> inputPos = new ArrayList<>();
    private final List<Pos> paramPos = new ArrayList<>();
    private final List<Pos[]> nodePos = new ArrayList<>(); // name, op, type, operands...
    private final List<Pos[]> outputPos = new ArrayList<>(); // name, value
    private Pos closePos;

    /** A reference with its sigil, checked once all names are known. */
    private record Ref(String name, boolean param, Tok at) {}
    private final List<Ref> refs = new ArrayList<>();

    private Graph run() throws IrParseException {
        advance();
        if (!atWord("graph")) throw error(tok, "expected 'graph' at the start of the file, found " + found());
        advance();
        String graphName = expect(T.SYM, "expected '@name' after 'graph'").text();
        Optional<Layout> layout = Optional.empty();
        if (atWord("attributes")) {
            advance();
            expect(T.LBRACE, "expected '{' after 'attributes'");
            if (!atWord("layout")) throw error(tok, "expected the graph attribute 'layout', found " + found());
            advance();
            expect(T.EQUALS, "expected '=' after 'layout'");
            Tok l = tok;
            layout = at(T.IDENT) ? Layout.fromText(l.text()) : Optional.empty();
            if (layout.isEmpty()) throw error(l, "layout must be nchw or nhwc, found " + found());
            advance();
            expect(T.RBRACE, "expected '}' after the graph attributes");
        }
        expect(T.LBRACE, "expected '{' after the graph name");

        List<Input> inputs = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Output> outputs = new ArrayList<>();
        int section = 0; // 0 inputs, 1 params, 2 nodes, 3 outputs
        while (!at(T.RBRACE)) {
            if (atWord("input")) {
                if (section > 0) throw error(tok, "inputs must come before params, nodes and outputs");
                inputs.add(input());
            } else if (atWord("param")) {
                if (section > 1) throw error(tok, "params must come before nodes and outputs");
                section = 1;
                params.add(param());
            } else if (at(T.VAL)) {
                if (section > 2) throw error(tok, "nodes must come before outputs");
                section = 2;
                nodes.add(node());
            } else if (atWord("output")) {
                section = 3;
                outputs.add(output());
            } else if (at(T.EOF)) {
                throw error(tok, "expected '}' to close graph @" + GraphPrinter.name(graphName) + ", found the end of the file");
            } else {
                throw error(tok, "expected 'input', 'param', a node '%name = op(...)', 'output' or '}', found " + found());
            }
        }
        closePos = new Pos(tok.line(), tok.col());
        advance();
        if (!at(T.EOF)) throw error(tok, "expected the end of the file after the graph, found " + found());

        Graph g = new Graph(graphName, ImmutableList.copyOf(inputs), ImmutableList.copyOf(params),
                ImmutableList.copyOf(nodes), ImmutableList.copyOf(outputs), layout);
        checkSigils(g);
        return g;
    }

    private Input input() throws IrParseException {
        advance(); // input
        Tok name = expect(T.VAL, "expected '%name' after 'input'");
        inputPos.add(new Pos(name.line(), name.col()));
        expect(T.COLON, "expected ':' after value name");
        return new Input(name.text(), type());
    }

    private Param param() throws IrParseException {
        advance(); // param
        Tok name = expect(T.SYM, "expected '@name' after 'param'");
        paramPos.add(new Pos(name.line(), name.col()));
        expect(T.COLON, "expected ':' after param name");
        TensorType type = type();
        expect(T.EQUALS, "expected '=' and an initializer (const(v), uniform(bound) or computed) after the param type");
        ParamInit init;
        if (atWord("computed")) {
            advance();
            init = new ParamInit.Computed();
        } else if (atWord("const") || atWord("uniform")) {
            boolean constant = atWord("const");
            advance();
            expect(T.LPAREN, "expected '(' after '" + (constant ? "const" : "uniform") + "'");
            double v = doubleValue("the initializer value");
            expect(T.RPAREN, "expected ')' after the initializer value");
            init = constant ? new ParamInit.Constant(v) : new ParamInit.Uniform(v);
        } else {
            throw error(tok, "expected an initializer 'const(v)', 'uniform(bound)' or 'computed', found " + found());
        }
        boolean buffer = false;
        if (atWord("buffer")) {
            buffer = true;
            advance();
        }
        return new Param(name.text(), type, init, buffer);
    }

    private Node node() throws IrParseException {
        Tok name = tok;
        advance();
        expect(T.EQUALS, "expected '=' after value name");
        if (!at(T.IDENT)) throw error(tok, "expected an op name after '=', found " + found());
        Tok opTok = tok;
        OpSyntax.Form form = OpSyntax.form(opTok.text()).orElseThrow(() -> error(opTok, "unknown op '" + clip(opTok.text()) + "'"));
        advance();
        expect(T.LPAREN, "expected '(' after op name '" + form.mnemonic() + "'");
        List<String> operands = new ArrayList<>();
        List<Pos> operandPos = new ArrayList<>();
        if (!at(T.RPAREN)) {
            while (true) {
                Tok r = tok;
                operands.add(ref("an operand"));
                operandPos.add(new Pos(r.line(), r.col()));
                if (at(T.RPAREN)) break;
                expect(T.COMMA, "expected ',' or ')' in the operand list");
            }
        }
        advance(); // )
        Op op = attributes(form, opTok);
        Tok colon = expect(T.COLON, "expected ':' and the result type after " + form.mnemonic() + "(...)");
        Pos typePos = new Pos(tok.line(), tok.col());
        TensorType type = type();
        Pos[] ps = new Pos[3 + operandPos.size()];
        ps[0] = new Pos(name.line(), name.col());
        ps[1] = new Pos(opTok.line(), opTok.col());
        ps[2] = typePos;
        for (int i = 0; i < operandPos.size(); i++) ps[3 + i] = operandPos.get(i);
        nodePos.add(ps);
        return new Node(name.text(), op, ImmutableList.copyOf(operands), type);
    }

    private Output output() throws IrParseException {
        advance(); // output
        Tok name = expect(T.VAL, "expected '%name' after 'output'");
        expect(T.EQUALS, "expected '=' after the output name");
        Tok value = tok;
        String v = ref("the output's value");
        outputPos.add(new Pos[] {new Pos(name.line(), name.col()), new Pos(value.line(), value.col())});
        return new Output(name.text(), v);
    }

    private String ref(String what) throws IrParseException {
        if (!at(T.VAL) && !at(T.SYM)) throw error(tok, "expected " + what + " ('%name' or '@name'), found " + found());
        Tok t = tok;
        refs.add(new Ref(t.text(), at(T.SYM), t));
        advance();
        return t.text();
    }

    /** The optional {@code {attr = value, ...}} of an op; every attribute of the form must be given. */
    private Op attributes(OpSyntax.Form form, Tok opTok) throws IrParseException {
        int n = form.attrs().size();
        Object[] values = new Object[n];
        if (at(T.LBRACE)) {
            advance();
            if (!at(T.RBRACE)) {
                while (true) {
                    if (!at(T.IDENT)) throw error(tok, "expected an attribute name, found " + found());
                    Tok attr = tok;
                    int index = -1;
                    for (int i = 0; i < n; i++) {
                        if (form.attrs().get(i).name().equals(attr.text())) index = i;
                    }
                    if (index < 0) throw error(attr, "unknown attribute '" + clip(attr.text()) + "' for " + form.mnemonic());
                    if (values[index] != null) throw error(attr, "duplicate attribute '" + attr.text() + "'");
                    advance();
                    expect(T.EQUALS, "expected '=' after attribute name '" + attr.text() + "'");
                    values[index] = attrValue(form, form.attrs().get(index));
                    if (at(T.RBRACE)) break;
                    expect(T.COMMA, "expected ',' or '}' in the attribute list");
                }
            }
            advance(); // }
        }
        for (int i = 0; i < n; i++) {
            if (values[i] == null && !form.attrs().get(i).optional()) {
                throw error(opTok, "missing attribute '" + form.attrs().get(i).name() + "' for " + form.mnemonic());
            }
        }
        try {
            return form.make().apply(Arrays.asList(values));
        } catch (IllegalArgumentException e) {
            throw error(opTok, form.mnemonic() + ": " + e.getMessage());
        }
    }

    private Object attrValue(OpSyntax.Form form, OpSyntax.AttrSpec spec) throws IrParseException {
        String what = "attribute '" + spec.name() + "' of " + form.mnemonic();
        Tok start = tok;
        return switch (spec.kind()) {
            case INT -> intValue(what);
            case DOUBLE -> doubleValue(what);
            case BOOL -> {
                if (atWord("true") || atWord("false")) {
                    boolean b = atWord("true");
                    advance();
                    yield b;
                }
                throw error(tok, what + " must be true or false, found " + found());
            }
            case HW -> {
                List<Integer> l = intList(what);
                if (l.size() != 2) throw error(start, what + " must be [h,w] (2 integers), got " + l.size());
                yield new Hw(l.get(0), l.get(1));
            }
            case PADS -> {
                List<Integer> l = intList(what);
                if (l.size() != 4) throw error(start, what + " must be [top,left,bottom,right] (4 integers), got " + l.size());
                yield new Pads(l.get(0), l.get(1), l.get(2), l.get(3));
            }
            case INTS -> ImmutableList.copyOf(intList(what));
            case STRING -> {
                if (!at(T.STRING)) throw error(tok, what + " must be a quoted string, found " + found());
                String text = tok.text();
                advance();
                yield text;
            }
            case WORD -> {
                if (!at(T.IDENT) || !spec.words().contains(tok.text())) {
                    throw error(tok, what + " must be one of " + String.join(", ", spec.words()) + ", found " + found());
                }
                String w = tok.text();
                advance();
                yield w;
            }
        };
    }

    private List<Integer> intList(String what) throws IrParseException {
        expect(T.LBRACK, what + ": expected '[' to start a list of integers");
        List<Integer> l = new ArrayList<>();
        if (!at(T.RBRACK)) {
            while (true) {
                l.add(intValue("a list element"));
                if (at(T.RBRACK)) break;
                expect(T.COMMA, "expected ',' or ']' in the list");
            }
        }
        advance(); // ]
        return l;
    }

    private int intValue(String what) throws IrParseException {
        if (!at(T.NUMBER)) throw error(tok, "expected an integer for " + what + ", found " + found());
        String s = tok.text();
        int digits = s.startsWith("-") ? 1 : 0;
        for (int i = digits; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) throw error(tok, "expected an integer for " + what + ", found '" + clip(s) + "'");
        }
        // Leading zeros are allowed; strip them before the length check.
        String mag = s.substring(digits).replaceFirst("^0+(?=.)", "");
        long v = mag.length() > 12 ? Long.MAX_VALUE : Long.parseLong(mag);
        if (digits == 1) v = -v;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(tok, "integer " + clip(s) + " is out of range");
        advance();
        return (int) v;
    }

    private double doubleValue(String what) throws IrParseException {
        double v;
        if (at(T.NUMBER)) {
            v = Double.parseDouble(tok.text()); // the lexer only makes well-formed numbers
        } else if (atWord("NaN")) {
            v = Double.NaN;
        } else if (atWord("Infinity")) {
            v = Double.POSITIVE_INFINITY;
        } else {
            throw error(tok, "expected a number for " + what + ", found " + found());
        }
        advance();
        return v;
    }

    private TensorType type() throws IrParseException {
        if (!at(T.IDENT)) throw error(tok, "expected a tensor type such as f32[1,3,224,224], found " + found());
        Tok d = tok;
        DType dtype = DType.fromText(d.text()).orElseThrow(() -> error(d, "unknown element type '" + clip(d.text())
                + "' (expected f32, f16, i8, i4 or i32)"));
        advance();
        expect(T.LBRACK, "expected '[' and the shape after the element type");
        ImmutableList.Builder<Integer> shape = ImmutableList.builder();
        if (!at(T.RBRACK)) {
            while (true) {
                Tok dim = tok;
                int v = intValue("a dimension");
                if (v < 0) throw error(dim, "dimension " + v + " is negative");
                shape.add(v);
                if (at(T.RBRACK)) break;
                expect(T.COMMA, "expected ',' or ']' in the shape");
            }
        }
        advance(); // ]
        return new TensorType(dtype, shape.build());
    }

    // ------------------------------------------------------------------------------------- checking

    /** A param is written {@code @name}, any other value {@code %name}; undefined names are the verifier's. */
    private void checkSigils(Graph g) throws IrParseException {
        Set<String> params = new HashSet<>();
        for (Param p : g.params()) params.add(p.name());
        Set<String> others = new HashSet<>();
        for (Input i : g.inputs()) others.add(i.name());
        for (Node n : g.nodes()) others.add(n.name());
        for (Ref r : refs) {
            String n = GraphPrinter.name(r.name());
            if (r.param() && !params.contains(r.name()) && others.contains(r.name())) {
                throw error(r.at(), "'@" + n + "' is not a param; write '%" + n + "'");
            }
            if (!r.param() && params.contains(r.name()) && !others.contains(r.name())) {
                throw error(r.at(), "'%" + n + "' is a param; write '@" + n + "'");
            }
        }
    }

    /** Runs the verifier and reports its first problem (in text order) where it is. */
    private void verify(Graph g) throws IrParseException {
        Pos first = null;
        String firstMessage = null;
        for (Verifier.Problem p : Verifier.check(g)) {
            Pos at = switch (p.section()) {
                case INPUT -> inputPos.get(p.index());
                case PARAM -> paramPos.get(p.index());
                case NODE -> {
                    Pos[] ps = nodePos.get(p.index());
                    yield switch (p.part()) {
                        case OPERAND -> ps[3 + p.operand()];
                        case OP -> ps[1];
                        case TYPE -> ps[2];
                        default -> ps[0];
                    };
                }
                case OUTPUT -> outputPos.get(p.index())[p.part() == Verifier.Part.VALUE ? 1 : 0];
                case GRAPH -> closePos;
            };
            if (first == null || at.line() < first.line() || (at.line() == first.line() && at.col() < first.col())) {
                first = at;
                firstMessage = p.message();
            }
        }
        if (first != null) throw error(first, firstMessage);
    }
}
