package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The table through which the Cortex-M runtime ({@code runtime/cortex-m/main.c}) finds the programs
 * of an image: per entry a wrapper {@code void SYMBOL_call(void **args)} that passes
 * {@code args[0..n)} (inputs, outputs, weights, arena) to {@code SYMBOL}, and the globals
 * {@code tml_entries} (the wrappers in entry order), {@code tml_entry_count} and
 * {@code tml_entry_arena} (each program's arena bytes, which the runtime checks against the job).
 */
final class EntryTable {
    private EntryTable() {}

    static void add(LLVMContextRef ctx, LLVMModuleRef mod, List<LlvmTarget.Entry> entries) {
        LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), i32 = LLVMInt32TypeInContext(ctx), voidTy = LLVMVoidTypeInContext(ctx);
        LLVMTypeRef wrapperTy = LLVMFunctionType(voidTy, array(ptr), 1, 0);
        List<LLVMValueRef> wrappers = new ArrayList<>(), arenas = new ArrayList<>();
        var b = LLVMCreateBuilderInContext(ctx);
        try {
            for (LlvmTarget.Entry e : entries) {
                LLVMValueRef fn = LLVMGetNamedFunction(mod, e.symbol());
                int n = e.program().inputs().size() + e.program().outputs().size() + 2;
                LLVMValueRef w = LLVMAddFunction(mod, e.symbol() + "_call", wrapperTy);
                LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, w, "entry"));
                LLVMValueRef[] args = new LLVMValueRef[n];
                for (int k = 0; k < n; k++) {
                    LLVMValueRef at = LLVMBuildInBoundsGEP2(b, ptr, LLVMGetParam(w, 0), array(LLVMConstInt(i32, k, 0)), 1, "");
                    args[k] = LLVMBuildLoad2(b, ptr, at, "");
                }
                LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, array(args), n, "");
                LLVMBuildRetVoid(b);
                wrappers.add(w);
                arenas.add(LLVMConstInt(i32, e.program().arenaBytes(), 0));
            }
        } finally {
            LLVMDisposeBuilder(b);
        }
        constant(mod, "tml_entries", ptr, wrappers);
        constant(mod, "tml_entry_arena", i32, arenas);
        LLVMValueRef count = LLVMAddGlobal(mod, i32, "tml_entry_count");
        LLVMSetInitializer(count, LLVMConstInt(i32, entries.size(), 0));
        LLVMSetGlobalConstant(count, 1);
    }

    /** A PointerPointer of the pointers (not {@code new PointerPointer(p)}, which would alias p itself). */
    private static PointerPointer<org.bytedeco.javacpp.Pointer> array(org.bytedeco.javacpp.Pointer... ps) {
        PointerPointer<org.bytedeco.javacpp.Pointer> a = new PointerPointer<>(ps.length);
        for (int i = 0; i < ps.length; i++) a.put(i, ps[i]);
        return a;
    }

    private static void constant(LLVMModuleRef mod, String name, LLVMTypeRef element, List<LLVMValueRef> values) {
        LLVMTypeRef type = LLVMArrayType2(element, values.size());
        LLVMValueRef g = LLVMAddGlobal(mod, type, name);
        LLVMSetInitializer(g, LLVMConstArray2(element, array(values.toArray(new org.bytedeco.javacpp.Pointer[0])), values.size()));
        LLVMSetGlobalConstant(g, 1);
    }
}
