package tml.ir.loop;

/**
 * A named one-dimensional array of {@code count} elements and where it lives ({@link Role}). Buffer
 * names are the graph's value names (a node, an input, a parameter) or derived from them.
 */
public record Buffer(String name, ScalarType type, long count, Role role) {
    public Buffer {
        if (count < 0) throw new IllegalArgumentException("negative element count " + count);
    }

    public long bytes() { return count * type.bytes(); }

    public Buffer withRole(Role r) { return new Buffer(name, type, count, r); }

    /** Where a buffer's memory comes from. Offsets are in bytes; {@code -1} means not planned yet. */
    public sealed interface Role {
        /** The caller's {@code index}-th input array. */
        record Input(int index) implements Role {}
        /** The caller's {@code index}-th output array. */
        record Output(int index) implements Role {}
        /**
         * A slice of the read-only weights blob: the parameter of the buffer's name, or, when
         * {@code packed} is present, a parameter rearranged at compile time into the layout a kernel
         * reads (see {@link WeightTransform}).
         */
        record Weight(long offset, java.util.Optional<Packed> packed) implements Role {
            public Weight(long offset) { this(offset, java.util.Optional.empty()); }
        }
        /** An activation in the arena. */
        record Arena(long offset) implements Role {}
        /** Temporary memory of one kernel, in the scratch part of the arena. */
        record Scratch(long offset) implements Role {}
        /** The same memory as {@code source} (reshape, flatten, dropout): no copy. */
        record View(String source) implements Role {}

        long UNPLANNED = -1;
    }

    /** A weight computed from parameter {@code source} by {@code transform} when the weights blob is packed. */
    public record Packed(WeightTransform transform, String source) {}
}
