package tml.ir.graph;

import java.util.Optional;

/** Element types of tensors. The textual name is the one used in TML source and in the IR. */
public enum DType {
    F32("f32", 32, true),
    F16("f16", 16, true),
    I8("i8", 8, false),
    I4("i4", 4, false),
    I32("i32", 32, false);

    private final String text;
    private final int bits;
    private final boolean floating;

    DType(String text, int bits, boolean floating) {
        this.text = text;
        this.bits = bits;
        this.floating = floating;
    }

    public String text() { return text; }
    public int bits() { return bits; }
    public boolean isFloating() { return floating; }

    /** Bytes needed for {@code count} elements (sub-byte types are packed). */
    public long bytesFor(long count) { return (count * bits + 7) / 8; }

    public static Optional<DType> fromText(String text) {
        for (DType d : values()) {
            if (d.text.equals(text)) return Optional.of(d);
        }
        return Optional.empty();
    }

    @Override public String toString() { return text; }
}
