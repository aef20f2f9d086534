package tml.ir.graph;

/**
 * A syntax or validity error in graph IR text, at a 1-based line and column (columns count UTF-16
 * chars). {@link #getMessage()} is the diagnostic {@code file:line:col: error: detail}.
 */
public final class IrParseException extends Exception {
    private final String fileName;
    private final int line;
    private final int column;
    private final String detail;

    public IrParseException(String fileName, int line, int column, String detail) {
        super(fileName + ":" + line + ":" + column + ": error: " + detail);
        this.fileName = fileName;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public String fileName() { return fileName; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the location, e.g. {@code unknown op 'conv3d'}. */
    public String detail() { return detail; }
}
