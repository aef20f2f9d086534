package tml.ir.graph;

/** A (height, width) pair: strides, kernel sizes and dilations of 2-D operators. */
public record Hw(int h, int w) {
    public static Hw of(int both) { return new Hw(both, both); }
    @Override public String toString() { return "[" + h + "," + w + "]"; }
}
