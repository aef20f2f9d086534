package tml.backends.qasm;

import java.util.ArrayList;
import java.util.List;

/** Hand-written OpenQASM 2 lexer: identifiers, numbers, strings, symbols; {@code //} and {@code /* *}{@code /} comments. */
final class QasmLexer {
    private QasmLexer() {}

    static List<QasmToken> lex(String src) throws QasmParseException {
        List<QasmToken> out = new ArrayList<>();
        int i = 0, line = 1, lineStart = 0;
        while (true) {
            // whitespace and comments
            while (i < src.length()) {
                char ch = src.charAt(i);
                if (ch == '\n') { i++; line++; lineStart = i; }
                else if (Character.isWhitespace(ch)) i++;
                else if (src.startsWith("//", i)) { while (i < src.length() && src.charAt(i) != '\n') i++; }
                else if (src.startsWith("/*", i)) {
                    int sl = line, sc = i - lineStart + 1;
                    i += 2;
                    while (i < src.length() && !src.startsWith("*/", i)) {
                        if (src.charAt(i) == '\n') { line++; lineStart = i + 1; }
                        i++;
                    }
                    if (i >= src.length()) throw new QasmParseException(sl, sc, "unterminated comment");
                    i += 2;
                } else break;
            }
            int col = i - lineStart + 1;
            if (i >= src.length()) {
                out.add(new QasmToken(QasmToken.Kind.EOF, "", line, col));
                return out;
            }
            char ch = src.charAt(i);
            int start = i;
            if (Character.isLetter(ch) || ch == '_') {
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) i++;
                out.add(new QasmToken(QasmToken.Kind.ID, src.substring(start, i), line, col));
            } else if (Character.isDigit(ch) || (ch == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1)))) {
                boolean real = false;
                while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                if (i < src.length() && src.charAt(i) == '.') {
                    real = true;
                    i++;
                    while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                }
                if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                    int j = i + 1;
                    if (j < src.length() && (src.charAt(j) == '+' || src.charAt(j) == '-')) j++;
                    if (j < src.length() && Character.isDigit(src.charAt(j))) {
                        while (j < src.length() && Character.isDigit(src.charAt(j))) j++;
                        i = j;
                        real = true;
                    }
                }
                out.add(new QasmToken(real ? QasmToken.Kind.REAL : QasmToken.Kind.INT, src.substring(start, i), line, col));
            } else if (ch == '"') {
                i++;
                while (i < src.length() && src.charAt(i) != '"' && src.charAt(i) != '\n') i++;
                if (i >= src.length() || src.charAt(i) != '"') throw new QasmParseException(line, col, "unterminated string");
                out.add(new QasmToken(QasmToken.Kind.STRING, src.substring(start + 1, i), line, col));
                i++;
            } else if (src.startsWith("->", i) || src.startsWith("==", i)) {
                i += 2;
                out.add(new QasmToken(QasmToken.Kind.SYMBOL, src.substring(start, i), line, col));
            } else if (";,()[]{}+-*/^".indexOf(ch) >= 0) {
                i++;
                out.add(new QasmToken(QasmToken.Kind.SYMBOL, String.valueOf(ch), line, col));
            } else {
                throw new QasmParseException(line, col, "unexpected character '" + (Character.isISOControl(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch)) + "'");
            }
        }
    }
}
