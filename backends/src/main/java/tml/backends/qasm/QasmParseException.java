package tml.backends.qasm;

/** Malformed or unsupported OpenQASM, with the 1-based line and column where it was found. */
public final class QasmParseException extends Exception {
    private final int line;
    private final int column;
    private final String detail;

    public QasmParseException(int line, int column, String detail) {
        super(line + ":" + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public int line() { return line; }

    public int column() { return column; }

    /** The message without the position. */
    public String detail() { return detail; }
}
