package tml.ir.quantum;

/** A free variable of an {@link Angle}: a named trainable parameter or an input feature. */
public sealed interface Symbol {

    /** A circuit parameter, by name (declared in {@link Circuit#params()}). */
    record Param(String name) implements Symbol {
        @Override public String toString() { return name; }
    }

    /** Input feature {@code x[index]} (fewer than {@link Circuit#numInputs()}). */
    record Input(int index) implements Symbol {
        @Override public String toString() { return "x[" + index + "]"; }
    }

    static Symbol param(String name) { return new Param(name); }

    static Symbol input(int index) { return new Input(index); }
}
