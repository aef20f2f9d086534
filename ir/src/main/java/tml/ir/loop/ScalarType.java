package tml.ir.loop;

import java.util.Optional;

/**
 * The types of loop-IR scalars: {@code index} (a signed 64-bit integer: loop variables, indices,
 * bounds), {@code f32} and {@code f64} (IEEE floats) and {@code bool} (comparison results).
 * Buffer elements are {@code f32} or {@code f64}.
 */
public enum ScalarType {
    INDEX("index", 8), F32("f32", 4), F64("f64", 8), BOOL("bool", 1);

    private final String text;
    private final int bytes;

    ScalarType(String text, int bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    public String text() { return text; }

    /** Bytes of one element in memory. */
    public int bytes() { return bytes; }

    public boolean isFloat() { return this == F32 || this == F64; }

    public boolean isNumeric() { return this != BOOL; }

    public static Optional<ScalarType> fromText(String text) {
        for (ScalarType t : values()) if (t.text.equals(text)) return Optional.of(t);
        return Optional.empty();
    }

    @Override public String toString() { return text; }
}
