package tml.optimizer.quantum.search;

import tml.ir.quantum.Circuit;

/**
 * Elaborates a circuit at one configuration of its compile-time parameters. The CLI implements it
 * with the TML front end; tests build circuits directly. Problems are thrown as
 * {@link IllegalArgumentException}s.
 */
@FunctionalInterface
public interface CircuitFamily {
    Circuit elaborate(SubConfig config);
}
