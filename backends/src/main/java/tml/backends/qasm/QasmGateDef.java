package tml.backends.qasm;

import com.google.common.collect.ImmutableList;

/** A {@code gate} (or {@code opaque}) definition: parameters, qubit arguments and body. */
record QasmGateDef(String name, ImmutableList<String> params, ImmutableList<String> qargs, ImmutableList<Stmt> body, boolean opaque) {

    /** A statement of a gate body. */
    sealed interface Stmt {}

    /** {@code name(args) qargs;} (U and CX included), {@code at} its name token. */
    record Call(String name, QasmToken at, ImmutableList<QasmExpr> args, ImmutableList<String> qargs) implements Stmt {}

    /** {@code barrier qargs;} */
    record Barrier(ImmutableList<String> qargs) implements Stmt {}
}
