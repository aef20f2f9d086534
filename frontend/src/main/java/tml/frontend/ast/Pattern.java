package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import tml.frontend.diag.Span;

public sealed interface Pattern extends Node {
    record NamePat(Span span, String name) implements Pattern {}
    record Wildcard(Span span) implements Pattern {}
    record TuplePat(Span span, ImmutableList<Pattern> parts) implements Pattern {}
}
