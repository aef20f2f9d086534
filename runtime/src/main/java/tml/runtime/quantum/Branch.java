package tml.runtime.quantum;

/**
 * One outcome path of a circuit with mid-circuit measurements or resets: the classical bits
 * written so far and the state, unnormalised so that its squared norm is the path's probability.
 */
record Branch(StateVector state, long clbits) {}
