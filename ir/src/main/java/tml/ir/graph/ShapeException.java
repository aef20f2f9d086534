package tml.ir.graph;

/** An operator applied to operands whose types it does not accept; the message is user-facing. */
public final class ShapeException extends Exception {
    public ShapeException(String message) { super(message); }
}
