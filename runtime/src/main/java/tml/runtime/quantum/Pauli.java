package tml.runtime.quantum;

/** A single-qubit Pauli operator. */
public enum Pauli { I, X, Y, Z }
