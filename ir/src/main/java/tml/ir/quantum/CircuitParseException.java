package tml.ir.quantum;

/** A syntax or semantic error in the textual circuit IR, with its 1-based line and column. */
public final class CircuitParseException extends Exception {
    private final int line;
    private final int column;
    private final String detail;

    public CircuitParseException(int line, int column, String detail) {
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
