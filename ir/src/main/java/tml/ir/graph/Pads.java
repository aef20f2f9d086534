package tml.ir.graph;

/** Spatial zero padding of a 2-D operator, in the order top, left, bottom, right. */
public record Pads(int top, int left, int bottom, int right) {
    public static final Pads NONE = new Pads(0, 0, 0, 0);
    public static Pads symmetric(int h, int w) { return new Pads(h, w, h, w); }
    @Override public String toString() { return "[" + top + "," + left + "," + bottom + "," + right + "]"; }
}
