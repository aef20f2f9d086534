package tml.optimizer.lower;

/** A graph the lowering cannot handle (an element type or op it does not support yet); the message is for the user. */
public final class LoweringException extends RuntimeException {
    public LoweringException(String message) { super(message); }
}
