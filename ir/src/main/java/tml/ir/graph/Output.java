package tml.ir.graph;

/** A named graph output bound to a value: {@code output %logits = %classifier.1}. */
public record Output(String name, String value) {}
