package tml.ir.quantum;

import com.google.common.collect.ImmutableList;

/** Splits the textual circuit IR into tokens; {@code //} starts a comment to the end of the line. */
final class CircuitLexer {
    enum Kind { IDENT, NUMBER, SYMBOL, EOF }

    record Token(Kind kind, String text, int line, int col) {
        boolean is(String s) { return (kind == Kind.SYMBOL || kind == Kind.IDENT) && text.equals(s); }

        String describe() { return kind == Kind.EOF ? "end of input" : "'" + text + "'"; }
    }

    private CircuitLexer() {}

    static ImmutableList<Token> lex(String src) throws CircuitParseException {
        ImmutableList.Builder<Token> out = ImmutableList.builder();
        int i = 0, line = 1, lineStart = 0;
        while (true) {
            while (i < src.length()) {
                char ch = src.charAt(i);
                if (ch == '\n') { i++; line++; lineStart = i; }
                else if (ch == ' ' || ch == '\t' || ch == '\r') i++;
                else if (ch == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
                    while (i < src.length() && src.charAt(i) != '\n') i++;
                } else break;
            }
            int col = i - lineStart + 1;
            if (i >= src.length()) {
                out.add(new Token(Kind.EOF, "", line, col));
                return out.build();
            }
            char ch = src.charAt(i);
            int start = i;
            if (Character.isLetter(ch) || ch == '_') {
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) i++;
                out.add(new Token(Kind.IDENT, src.substring(start, i), line, col));
            } else if (Character.isDigit(ch) || (ch == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1)))) {
                while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                if (i < src.length() && src.charAt(i) == '.') {
                    i++;
                    while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                }
                if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                    int save = i;
                    i++;
                    if (i < src.length() && (src.charAt(i) == '+' || src.charAt(i) == '-')) i++;
                    if (i < src.length() && Character.isDigit(src.charAt(i))) {
                        while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                    } else {
                        i = save;
                    }
                }
                out.add(new Token(Kind.NUMBER, src.substring(start, i), line, col));
            } else if (src.startsWith("->", i) || src.startsWith("==", i)) {
                i += 2;
                out.add(new Token(Kind.SYMBOL, src.substring(start, i), line, col));
            } else if ("()[]{},:+-*/".indexOf(ch) >= 0) {
                i++;
                out.add(new Token(Kind.SYMBOL, String.valueOf(ch), line, col));
            } else {
                throw new CircuitParseException(line, col, "unexpected character '" + ch + "'");
            }
        }
    }
}
