package tml.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Python literals that .npy headers hold: dicts, tuples, lists, strings, ints,
 * True, False and None. Values become Map, {@link Tuple}, {@link PyList}, String, Long, Boolean or
 * {@link #NONE}. Throws {@link IllegalArgumentException} with a short reason on bad input.
 */
final class PyLiteral {
    record Tuple(List<Object> items) {}

    record PyList(List<Object> items) {}

    static final Object NONE = new Object() {
        @Override public String toString() { return "None"; }
    };

    private final String text;
    private int pos;

    private PyLiteral(String text) { this.text = text; }

    /** Parses one literal; trailing whitespace (and NUL padding) is allowed, anything else is not. */
    static Object parse(String text) {
        PyLiteral p = new PyLiteral(text);
        Object v = p.value();
        p.skipSpace();
        if (p.pos < text.length()) throw p.error("unexpected text after the dictionary");
        return v;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) throw error("unexpected end");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> new Tuple(sequence('(', ')'));
            case '[' -> new PyList(sequence('[', ']'));
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) yield integer();
                if (text.startsWith("True", pos)) { pos += 4; yield Boolean.TRUE; }
                if (text.startsWith("False", pos)) { pos += 5; yield Boolean.FALSE; }
                if (text.startsWith("None", pos)) { pos += 4; yield NONE; }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> dict() {
        Map<String, Object> map = new LinkedHashMap<>();
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') break;
            Object key = value();
            if (!(key instanceof String k)) throw error("dictionary keys must be strings");
            skipSpace();
            expect(':');
            if (map.put(k, value()) != null) throw error("key '" + k + "' appears twice");
            skipSpace();
            if (peek() == ',') pos++;
            else if (peek() != '}') throw error("expected ',' or '}'");
        }
        pos++;
        return map;
    }

    private List<Object> sequence(char open, char close) {
        List<Object> items = new ArrayList<>();
        expect(open);
        boolean comma = false;
        while (true) {
            skipSpace();
            if (peek() == close) break;
            items.add(value());
            skipSpace();
            comma = peek() == ',';
            if (comma) pos++;
            else if (peek() != close) throw error("expected ',' or '" + close + "'");
        }
        pos++;
        // (1) is the integer 1, not a tuple; numpy writes a one-dimensional shape as (n,).
        if (open == '(' && items.size() == 1 && !comma) throw error("a one-element tuple needs a trailing comma");
        return items;
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) c = text.charAt(pos++);
            sb.append(c);
        }
        if (pos >= text.length()) throw error("unterminated string");
        pos++;
        return sb.toString();
    }

    private Long integer() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') pos++;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        String digits = text.substring(start, pos);
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) pos++;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("bad integer '" + digits + "'");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == '\0')) pos++;
    }

    private char peek() {
        if (pos >= text.length()) throw error("unexpected end");
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + pos);
    }
}
