package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.frontend.diag.Span;

/** Top-level declarations of a file. */
public sealed interface Decl extends Node {
    String name();
    Span nameSpan();
    Optional<String> doc();

    record Network(Span span, String name, Span nameSpan, Optional<String> doc, ImmutableList<ParamDecl> params, Body body) implements Decl {}
    record Block(Span span, String name, Span nameSpan, Optional<String> doc, ImmutableList<ParamDecl> params, Body body) implements Decl {}
    record Fn(Span span, String name, Span nameSpan, Optional<String> doc, ImmutableList<ParamDecl> params, Optional<TypeExpr> returnType, Body body) implements Decl {}
    record Circuit(Span span, String name, Span nameSpan, Optional<String> doc, ImmutableList<ParamDecl> params, Body body) implements Decl {}
    /** A module-level {@code let}; its name is that of the pattern when it is a plain name. */
    record Const(Span span, String name, Span nameSpan, Optional<String> doc, Pattern pattern, Optional<TypeExpr> type, Expr value) implements Decl {}
    /** {@code target}, {@code device}, {@code searchspace}, {@code quantize}, {@code schedule}, {@code train}. */
    record Policy(Span span, String kind, String name, Span nameSpan, Optional<String> doc, ImmutableList<ParamDecl> params,
                  Optional<Expr> subject, Body body) implements Decl {}
}
