package tml.frontend.elab;

import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Span;

/** Aborts evaluation of the current statement with a diagnostic. */
final class EvalError extends RuntimeException {
    final Diagnostic diagnostic;

    EvalError(Span span, String message) {
        this(Diagnostic.error(span, message));
    }

    EvalError(Diagnostic diagnostic) {
        super(diagnostic.message(), null, false, false);
        this.diagnostic = diagnostic;
    }
}
