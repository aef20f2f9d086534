package tml.backends.qasm;

/** A circuit that the requested OpenQASM version cannot express (e.g. symbolic angles in OpenQASM 2). */
public final class QasmExportException extends RuntimeException {
    public QasmExportException(String message) { super(message); }
}
