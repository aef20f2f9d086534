package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;

/**
 * An LLVM code generation target. The base class does everything that is the same for every target:
 * builds LLVM IR from planned loop programs ({@link LoopToLlvm}), verifies the module, runs the new
 * pass manager's {@code default<On>} pipeline and emits assembly and an object file. A subclass says
 * only what differs: the triple, CPU and features, the relocation model, the vector width lowering
 * should aim for, and how objects are linked.
 */
public abstract class LlvmTarget {
    /**
     * A program to compile and the name of its exported entry function. A profiled entry also exports
     * {@code SYMBOL_profile}: one 64-bit cycle counter per kernel, then one for the whole call, each
     * summing the target's cycle counter ({@code llvm.readcyclecounter}) over every call.
     */
    public record Entry(Program program, String symbol, boolean profiled) {
        public Entry(Program program, String symbol) { this(program, symbol, false); }
    }

    /**
     * What one compilation produced: textual LLVM IR (after optimization), assembly and the object
     * file, as requested; and milliseconds spent building the IR, in LLVM's optimization pipeline
     * and in code generation.
     */
    public record Artifacts(String llvmIr, String assembly, byte[] object, long buildMillis, long optimizeMillis, long emitMillis) {
        public long millis() { return buildMillis + optimizeMillis + emitMillis; }
    }

    /** The target's name on the command line: host, cortex-m4, ... */
    public abstract String name();

    public abstract String triple();

    public abstract String cpu();

    /** LLVM feature string such as {@code +avx2,+fma}; empty for the CPU's defaults. */
    public abstract String features();

    /** f32 lanes of one vector register, for the lowering's vectorize annotations. */
    public abstract int vectorWidth();

    /**
     * Adds what this target's runtime needs besides the entry functions (nothing on the host; an
     * entry table on Cortex-M), before the module is verified and optimized.
     */
    protected void addSupport(LLVMContextRef ctx, LLVMModuleRef mod, List<Entry> entries) {}

    /** LLVMRelocMode; position independent by default (shared libraries). */
    protected int relocModel() { return LLVMRelocPIC; }

    protected int codeModel() { return LLVMCodeModelDefault; }

    /**
     * Whether the loop IR's float multiply-adds become {@code llvm.fmuladd} (fused, one rounding,
     * where the CPU has a fast FMA). True by default (the host: AVX2 + FMA).
     */
    protected boolean contractMultiplyAdd() { return true; }

    /**
     * Compiles the programs into one module and emits what is asked for. Every module is verified
     * before and after optimization; a failure there is a compiler bug and is reported as such.
     */
    public Artifacts compile(List<Entry> entries, OptLevel level, boolean wantIr, boolean wantAsm, boolean wantObject) {
        long t0 = System.nanoTime();
        for (Entry e : entries) LoopVerifier.verifyOrThrow(e.program());
        Llvm.init();
        LLVMContextRef ctx = LLVMContextCreate();
        LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(entries.isEmpty() ? "tml" : entries.get(0).program().name(), ctx);
        LLVMTargetMachineRef tm = machine(level);
        try {
            LLVMSetTarget(mod, triple());
            org.bytedeco.llvm.LLVM.LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
            LLVMSetModuleDataLayout(mod, layout);
            int pointerBits = LLVMPointerSize(layout) * 8;
            LLVMDisposeTargetData(layout);
            LoopToLlvm gen = new LoopToLlvm(ctx, mod, cpu(), features(), pointerBits, contractMultiplyAdd());
            try {
                for (Entry e : entries) gen.addProgram(e.program(), e.symbol(), e.profiled());
            } finally {
                gen.dispose();
            }
            addSupport(ctx, mod, entries);
            verify(mod, "after code generation");
            long t1 = System.nanoTime();
            LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
            try {
                LLVMPassBuilderOptionsSetLoopVectorization(options, level.ordinal() >= 2 ? 1 : 0);
                // Loops are vectorized as their annotations say; the SLP vectorizer found little more in
                // our kernels and took a third of -O3's time on MobileNetV2, so it stays off.
                LLVMPassBuilderOptionsSetSLPVectorization(options, 0);
                LLVMPassBuilderOptionsSetLoopUnrolling(options, level.ordinal() >= 2 ? 1 : 0);
                LLVMErrorRef err = LLVMRunPasses(mod, level.pipeline(), tm, options);
                if (err != null && !err.isNull()) {
                    BytePointer m = LLVMGetErrorMessage(err);
                    String msg = m.getString();
                    LLVMDisposeErrorMessage(m);
                    throw new IllegalStateException("LLVM's " + level.pipeline() + " pipeline failed: " + msg);
                }
            } finally {
                LLVMDisposePassBuilderOptions(options);
            }
            verify(mod, "after optimization");
            long t2 = System.nanoTime();
            String ir = wantIr ? Llvm.message(LLVMPrintModuleToString(mod)) + "\n" : null;
            String asm = null;
            if (wantAsm) {
                LLVMModuleRef copy = LLVMCloneModule(mod); // code generation changes the module it runs on
                try {
                    asm = new String(emit(tm, copy, LLVMAssemblyFile), java.nio.charset.StandardCharsets.UTF_8);
                } finally {
                    LLVMDisposeModule(copy);
                }
            }
            byte[] obj = wantObject ? emit(tm, mod, LLVMObjectFile) : null;
            long t3 = System.nanoTime();
            return new Artifacts(ir, asm, obj, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        } finally {
            LLVMDisposeModule(mod);
            LLVMDisposeTargetMachine(tm);
            LLVMContextDispose(ctx);
        }
    }

    private static void verify(LLVMModuleRef mod, String when) {
        BytePointer msg = new BytePointer((org.bytedeco.javacpp.Pointer) null);
        if (LLVMVerifyModule(mod, LLVMReturnStatusAction, msg) != 0) {
            String text = Llvm.message(msg);
            throw new IllegalStateException("LLVM rejected the generated module " + when + ": " + text);
        }
        Llvm.message(msg);
    }

    private LLVMTargetMachineRef machine(OptLevel level) {
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer err = new BytePointer((org.bytedeco.javacpp.Pointer) null);
        if (LLVMGetTargetFromTriple(new BytePointer(triple()), target, err) != 0) {
            throw new BackendException("LLVM cannot generate code for " + triple() + ": " + Llvm.message(err));
        }
        return LLVMCreateTargetMachine(target, triple(), cpu(), features(), level.codegenLevel(), relocModel(), codeModel());
    }

    private static byte[] emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, int fileType) {
        BytePointer err = new BytePointer((org.bytedeco.javacpp.Pointer) null);
        LLVMMemoryBufferRef buf = new LLVMMemoryBufferRef();
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, fileType, err, buf) != 0) {
            throw new IllegalStateException("LLVM could not emit code: " + Llvm.message(err));
        }
        try {
            long size = LLVMGetBufferSize(buf);
            byte[] out = new byte[Math.toIntExact(size)];
            LLVMGetBufferStart(buf).capacity(size).get(out);
            return out;
        } finally {
            LLVMDisposeMemoryBuffer(buf);
        }
    }

    /** Links an object file into what this target runs (a shared library on the host). */
    public abstract void link(byte[] object, Path output);
}
