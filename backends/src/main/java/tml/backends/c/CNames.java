package tml.backends.c;

import java.util.HashSet;
import java.util.Set;

/**
 * C identifiers for graph and loop-IR names. Owns a set of names already taken in one scope:
 * {@link #fresh} turns any name into a valid C99 identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, not a
 * keyword, not reserved, not taken) and takes it. A scope made with {@link #child} starts with
 * everything its parent has taken, so kernel locals never hide file-scope names.
 */
final class CNames {
    /** C99 keywords, names the generated code uses from the standard headers, and C++ keywords (a header may be included there). */
    private static final Set<String> RESERVED = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
            "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
            "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
            "_Bool", "_Complex", "_Imaginary", "bool", "true", "false", "NULL", "NAN", "INFINITY",
            "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "size_t",
            "INT64_C", "INT64_MIN", "INT64_MAX", "sqrt", "sqrtf", "exp", "expf", "tanh", "tanhf", "main",
            "asm", "catch", "class", "delete", "friend", "mutable", "namespace", "new", "operator", "private",
            "protected", "public", "template", "this", "throw", "try", "typename", "using", "virtual");

    private final Set<String> taken;

    private CNames(Set<String> taken) { this.taken = taken; }

    /** An empty file scope. */
    static CNames fileScope() { return new CNames(new HashSet<>()); }

    /** A nested scope that avoids every name taken here so far. */
    CNames child() { return new CNames(new HashSet<>(taken)); }

    /** Marks a name as used (a fixed name the generated code defines), without checking it. */
    void take(String name) { taken.add(name); }

    boolean isTaken(String name) { return taken.contains(name); }

    /** A valid, untaken C identifier close to {@code name}, now taken. */
    String fresh(String name) {
        String base = sanitize(name);
        if (base.startsWith("tml_") || base.startsWith("TML_")) base = "v" + base; // the helpers' names
        String c = base;
        for (int k = 2; !available(c); k++) c = base + "_" + k;
        taken.add(c);
        return c;
    }

    private boolean available(String c) {
        return !taken.contains(c) && !RESERVED.contains(c);
    }

    /**
     * Text safe inside a C block comment: printable ASCII only, and no sequence that ends or opens a
     * comment or forms a trigraph (gcc -Wall warns about both).
     */
    static String comment(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            char prev = sb.isEmpty() ? ' ' : sb.charAt(sb.length() - 1);
            if (ch < 0x20 || ch > 0x7e) ch = '?';
            if ((prev == '*' && ch == '/') || (prev == '/' && ch == '*') || (prev == '?' && ch == '?')) sb.append(' ');
            sb.append(ch);
        }
        return sb.toString();
    }

    /**
     * Letters, digits and '_' kept (ASCII only), everything else '_'; a name that would start with a
     * digit or '_' (identifiers starting with '_' are partly reserved to the implementation) gets a
     * "v" in front.
     */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok = ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_');
            sb.append(ok ? ch : '_');
        }
        if (sb.isEmpty() || !Character.isLetter(sb.charAt(0))) sb.insert(0, 'v');
        return sb.toString();
    }
}
