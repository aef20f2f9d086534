package tml.frontend.ast;

import java.util.Optional;
import tml.frontend.diag.Span;

/** A parameter of a network, block, fn, circuit or policy: {@code name: type = default}. */
public record ParamDecl(Span span, String name, Optional<TypeExpr> type, Optional<Expr> defaultValue) implements Node {}
