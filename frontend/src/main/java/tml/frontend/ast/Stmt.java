package tml.frontend.ast;

import java.util.Optional;
import tml.frontend.diag.Span;

public sealed interface Stmt extends Node {
    record Let(Span span, Pattern pattern, Optional<TypeExpr> type, Expr value) implements Stmt {}
    record Input(Span span, String name, Span nameSpan, TypeExpr.Tensor type) implements Stmt {}
    record Output(Span span, String name, Span nameSpan, Expr value) implements Stmt {}
    record Param(Span span, String name, Span nameSpan, TypeExpr type, Optional<Expr> init) implements Stmt {}
    record Qubits(Span span, String name, Span nameSpan, Expr size) implements Stmt {}
    /** {@code bits c[2]}: a classical register of a circuit (measurement results, conditions). */
    record Bits(Span span, String name, Span nameSpan, Expr size) implements Stmt {}
    record For(Span span, Pattern pattern, Expr iterable, Body body) implements Stmt {}
    record Return(Span span, Expr value) implements Stmt {}
    record Assert(Span span, Expr cond, Optional<Expr> message) implements Stmt {}
    /** {@code key "selector"? = value} in target and policy declarations. */
    record Property(Span span, String key, Span keySpan, Optional<String> selector, Expr value) implements Stmt {}
    /** {@code key "selector"? { ... }} in policy declarations. */
    record Section(Span span, String key, Span keySpan, Optional<String> selector, Body body) implements Stmt {}
    record ExprStmt(Span span, Expr expr) implements Stmt {}
}
