package tml.backends.llvm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tml.ir.loop.Buffer;
import tml.ir.loop.Program;

/**
 * A compiled program loaded from a shared library with the foreign function API: it owns native
 * copies of the weights and the arena, and calls
 * {@code SYMBOL(const float* inputs..., float* outputs..., const float* weights, uint8_t* arena)}.
 * One call at a time (runs are synchronized); {@link #close()} frees the native memory (the library
 * stays mapped until its {@link Library} is closed).
 */
public final class NativeModel implements AutoCloseable {
    /** A loaded shared library; closing it unmaps the code of every model taken from it. */
    public static final class Library implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final SymbolLookup lookup;
        private final Path path;

        private Library(Path path) {
            this.path = path;
            try {
                this.lookup = SymbolLookup.libraryLookup(path, arena);
            } catch (IllegalArgumentException e) {
                arena.close();
                throw new BackendException("cannot load " + path + ": " + e.getMessage(), e);
            }
        }

        public static Library load(Path path) { return new Library(path); }

        /** The model exported as {@code symbol}, for {@code program} (which must be the planned program compiled into it). */
        public NativeModel model(Program program, String symbol, float[] weights) {
            Optional<MemorySegment> fn = lookup.find(symbol);
            if (fn.isEmpty()) throw new BackendException(path + " has no function '" + symbol + "'");
            Optional<MemorySegment> arenaSym = lookup.find(symbol + "_arena_bytes");
            if (arenaSym.isPresent()) {
                long declared = arenaSym.get().reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
                if (declared != program.arenaBytes()) {
                    throw new BackendException(path + ": '" + symbol + "' was compiled for an arena of " + declared
                            + " bytes but the program plans " + program.arenaBytes());
                }
            }
            Optional<MemorySegment> profile = lookup.find(symbol + "_profile")
                    .map(seg -> seg.reinterpret((program.kernels().size() + 1L) * Long.BYTES));
            return new NativeModel(program, fn.get(), weights, profile);
        }

        @Override public void close() { arena.close(); }
    }

    private final Program program;
    private final MethodHandle handle;
    private final Arena memory = Arena.ofShared();
    private final MemorySegment weights, arena, guard;
    private static final int GUARD = 256;
    private static final byte GUARD_BYTE = (byte) 0xA5;
    private final MemorySegment[] inputs, outputs;
    private final Object[] args;
    private final List<Buffer> ins, outs;
    private final Optional<MemorySegment> profile;

    private NativeModel(Program program, MemorySegment fn, float[] weightBlob, Optional<MemorySegment> profile) {
        this.program = program;
        this.profile = profile;
        this.ins = program.inputs();
        this.outs = program.outputs();
        int n = ins.size() + outs.size() + 2;
        java.lang.foreign.MemoryLayout[] layouts = new java.lang.foreign.MemoryLayout[n];
        Arrays.fill(layouts, ValueLayout.ADDRESS);
        this.handle = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.ofVoid(layouts)).asSpreader(Object[].class, n);
        if ((long) weightBlob.length * 4 < program.weightBytes()) {
            throw new BackendException("the weights blob has " + weightBlob.length * 4L + " bytes; the program needs " + program.weightBytes());
        }
        this.weights = memory.allocate(Math.max(4, (long) weightBlob.length * 4), 64);
        MemorySegment.copy(weightBlob, 0, weights, ValueLayout.JAVA_FLOAT, 0, weightBlob.length);
        // the arena, then a guard band the code must never touch (checked by guardIntact)
        MemorySegment withGuard = memory.allocate(program.arenaBytes() + GUARD, 64);
        withGuard.asSlice(program.arenaBytes()).fill(GUARD_BYTE);
        this.arena = withGuard.asSlice(0, program.arenaBytes());
        this.guard = withGuard.asSlice(program.arenaBytes());
        this.inputs = new MemorySegment[ins.size()];
        this.outputs = new MemorySegment[outs.size()];
        for (int i = 0; i < inputs.length; i++) inputs[i] = memory.allocate(Math.max(4, ins.get(i).bytes()), 64);
        for (int i = 0; i < outputs.length; i++) outputs[i] = memory.allocate(Math.max(4, outs.get(i).bytes()), 64);
        this.args = new Object[n];
        int k = 0;
        for (MemorySegment s : inputs) args[k++] = s;
        for (MemorySegment s : outputs) args[k++] = s;
        args[k++] = weights;
        args[k] = arena;
    }

    public Program program() { return program; }

    /** The native arena, for tests that check the code stays inside it. */
    MemorySegment arenaSegment() { return arena; }

    /** Whether the bytes just after the planned arena are untouched: the code used no more memory than planned. */
    public synchronized boolean guardIntact() {
        for (long i = 0; i < GUARD; i++) if (guard.get(ValueLayout.JAVA_BYTE, i) != GUARD_BYTE) return false;
        return true;
    }

    /** Runs once: {@code inputs[i]} holds input i's elements; returns each output's elements. */
    public synchronized float[][] run(float[]... in) {
        if (in.length != inputs.length) throw new BackendException("the model takes " + inputs.length + " inputs, got " + in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i].length != ins.get(i).count()) {
                throw new BackendException("input '" + ins.get(i).name() + "' needs " + ins.get(i).count() + " values, got " + in[i].length);
            }
            MemorySegment.copy(in[i], 0, inputs[i], ValueLayout.JAVA_FLOAT, 0, in[i].length);
        }
        invoke();
        float[][] out = new float[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            out[i] = new float[Math.toIntExact(outs.get(i).count())];
            MemorySegment.copy(outputs[i], ValueLayout.JAVA_FLOAT, 0, out[i], 0, out[i].length);
        }
        return out;
    }

    /** Calls the native function on the inputs already in place (for timing without copies). */
    public synchronized void invoke() {
        try {
            handle.invoke(args);
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed: " + t, t);
        }
    }

    /** Copies inputs in without running (for benchmarks that time {@link #invoke()} alone). */
    public synchronized void setInputs(float[]... in) {
        for (int i = 0; i < in.length; i++) MemorySegment.copy(in[i], 0, inputs[i], ValueLayout.JAVA_FLOAT, 0, in[i].length);
    }

    /**
     * For a profiled build: the cycle counts summed over the calls since the last
     * {@link #resetProfile()}, one per kernel of {@link #program()} in order, then one for the whole
     * call; empty when the code was built without counters.
     */
    public synchronized Optional<long[]> profileCycles() {
        return profile.map(seg -> seg.toArray(ValueLayout.JAVA_LONG));
    }

    /** Sets the profile counters back to zero (nothing without them). */
    public synchronized void resetProfile() { profile.ifPresent(seg -> seg.fill((byte) 0)); }

    @Override public void close() { memory.close(); }
}
