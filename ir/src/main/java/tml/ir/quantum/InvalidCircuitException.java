package tml.ir.quantum;

import com.google.common.collect.ImmutableList;

/** Thrown by {@link CircuitVerifier#check} with every problem found. */
public final class InvalidCircuitException extends RuntimeException {
    private final ImmutableList<String> problems;

    public InvalidCircuitException(String circuit, ImmutableList<String> problems) {
        super("invalid circuit " + circuit + ": " + String.join("; ", problems));
        this.problems = problems;
    }

    public ImmutableList<String> problems() { return problems; }
}
