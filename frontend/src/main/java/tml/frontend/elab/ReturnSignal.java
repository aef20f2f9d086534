package tml.frontend.elab;

/** Carries the value of a {@code return} out of the statements of a block or fn. */
final class ReturnSignal extends RuntimeException {
    final Value value;

    ReturnSignal(Value value) {
        super(null, null, false, false);
        this.value = value;
    }
}
