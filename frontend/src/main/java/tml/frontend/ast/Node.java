package tml.frontend.ast;

import tml.frontend.diag.Span;

/** Every AST node is an immutable record that knows where it came from. */
public interface Node {
    Span span();
}
