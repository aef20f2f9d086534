package tml.backends.llvm;

/** A failure the user can act on (a missing tool, an unsupported request, a bad file); the message says what and where. */
public final class BackendException extends RuntimeException {
    public BackendException(String message) { super(message); }
    public BackendException(String message, Throwable cause) { super(message, cause); }
}
