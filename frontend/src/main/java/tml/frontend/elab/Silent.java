package tml.frontend.elab;

/** Aborts evaluation after an error that was already reported (a poisoned value was used). */
final class Silent extends RuntimeException {
    static final Silent INSTANCE = new Silent();
    private Silent() { super(null, null, false, false); }
}
