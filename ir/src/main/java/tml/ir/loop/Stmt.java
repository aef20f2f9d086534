package tml.ir.loop;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/** Statements of the loop IR. A scalar may not be declared again where it is visible (no shadowing). */
public sealed interface Stmt {

    /** {@code for $var in lo .. hi annotation { body }}: var takes lo, lo+1, ..., hi-1 (none when hi <= lo). */
    record For(String var, Expr lo, Expr hi, Annotation annotation, Block body) implements Stmt {}

    /** {@code %buffer[index] = value}. */
    record Store(String buffer, Expr index, Expr value) implements Stmt {}

    /** {@code { stmts }}: a sequence; a local declared in it is visible to the statements after it. */
    record Block(ImmutableList<Stmt> stmts) implements Stmt {
        public static Block of(Stmt... stmts) { return new Block(ImmutableList.copyOf(stmts)); }
        public static Block of(java.util.List<? extends Stmt> stmts) { return new Block(ImmutableList.copyOf(stmts)); }
    }

    /** {@code if cond { then } else { otherwise }}. */
    record If(Expr cond, Block then, Optional<Block> otherwise) implements Stmt {}

    /** {@code var $name : type = init}: declares a mutable scalar. */
    record Local(String name, ScalarType type, Expr init) implements Stmt {}

    /** {@code $name = value}: assigns a local (never a loop variable). */
    record Assign(String name, Expr value) implements Stmt {}
}
