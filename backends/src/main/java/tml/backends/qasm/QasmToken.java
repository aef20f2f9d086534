package tml.backends.qasm;

/** A token of OpenQASM 2 source. */
record QasmToken(Kind kind, String text, int line, int col) {
    enum Kind { ID, REAL, INT, STRING, SYMBOL, EOF }

    boolean is(String s) { return (kind == Kind.SYMBOL || kind == Kind.ID) && text.equals(s); }

    String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case STRING -> "string \"" + text + "\"";
            default -> "'" + text + "'";
        };
    }
}
