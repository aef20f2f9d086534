package tml.frontend.elab;

import com.google.common.collect.ImmutableList;

/**
 * A function the language provides. Layers ({@code layer == true}) create graph nodes and get a
 * name at each call; the others compute compile-time values.
 */
public record Builtin(String name, boolean layer, ImmutableList<BParam> params, boolean variadic, Impl impl) {

    /** A parameter of a built-in; {@code defaultValue == null} means required. */
    public record BParam(String name, Value defaultValue) {
        public boolean required() { return defaultValue == null; }
    }

    @FunctionalInterface
    public interface Impl {
        Value apply(CallArgs args);
    }

    public static BParam req(String name) { return new BParam(name, null); }
    public static BParam opt(String name, Value v) { return new BParam(name, v); }
}
