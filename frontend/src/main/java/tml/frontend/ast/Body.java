package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import tml.frontend.diag.Span;

/** A braced list of statements. */
public record Body(Span span, ImmutableList<Stmt> stmts) implements Node {}
