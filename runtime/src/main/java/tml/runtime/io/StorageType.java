package tml.runtime.io;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Element types that tensor files store, with their conversion to float32. */
public enum StorageType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false),
    U64(8, false), U32(4, false), U16(2, false), U8(1, false),
    BOOL(1, false);

    private final int size;
    private final boolean floating;

    StorageType(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int size() { return size; }

    public boolean isFloating() { return floating; }

    /** The type named as in safetensors headers ("F32", "BF16", "BOOL", ...). */
    public static Optional<StorageType> fromSafetensorsName(String name) {
        for (StorageType t : values()) {
            if (t.name().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** Reads {@code count} elements from {@code buf} at its position (in its byte order), rounded to float32. */
    public float[] decode(ByteBuffer buf, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (this) {
                case F64 -> (float) buf.getDouble();
                case F32 -> buf.getFloat();
                case F16 -> Float.float16ToFloat(buf.getShort());
                case BF16 -> Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                case I64 -> (float) buf.getLong();
                case I32 -> (float) buf.getInt();
                case I16 -> buf.getShort();
                case I8 -> buf.get();
                case U64 -> unsignedLongToFloat(buf.getLong());
                case U32 -> (float) Integer.toUnsignedLong(buf.getInt());
                case U16 -> buf.getShort() & 0xffff;
                case U8 -> buf.get() & 0xff;
                case BOOL -> buf.get() != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    private static float unsignedLongToFloat(long v) {
        if (v >= 0) return (float) v;
        // Halve keeping a sticky low bit, so the single rounding to float is still correct.
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }
}
