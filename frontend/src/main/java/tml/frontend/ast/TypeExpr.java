package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import tml.frontend.diag.Span;

public sealed interface TypeExpr extends Node {
    /** {@code f32[1, 3, r, r]}: dimensions are compile-time expressions. */
    record Tensor(Span span, String dtype, ImmutableList<Expr> dims) implements TypeExpr {}
    /** {@code int}, {@code list[int]}, {@code tensor}, ... */
    record Named(Span span, String name, ImmutableList<TypeExpr> args) implements TypeExpr {}
    record Tuple(Span span, ImmutableList<TypeExpr> parts) implements TypeExpr {}
}
