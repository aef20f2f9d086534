package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMetadataRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import tml.ir.loop.Annotation;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Kernel;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.Program;
import tml.ir.loop.ScalarType;
import tml.ir.loop.Stmt;
import tml.ir.loop.Stmt.*;

/**
 * Translates planned loop programs into LLVM IR in one module. Each program becomes an exported
 * function {@code void SYMBOL(ptr in0, ..., ptr out0, ..., ptr weights, ptr arena)} plus a constant
 * {@code SYMBOL_arena_bytes}; each kernel an internal function taking one pointer per distinct
 * memory region it touches, {@code noalias} where the memory plan proves regions disjoint. Loops
 * carry their annotation as {@code llvm.loop} metadata (vectorize width, unroll count). Floating
 * point has no fast-math flags; multiply-adds become {@code llvm.fmuladd} (fused where the target
 * has FMA); {@code exp} and {@code tanh} are inlined polynomial
 * approximations (Cephes), so the code needs no libm.
 */
final class LoopToLlvm {
    private final LLVMContextRef ctx;
    private final LLVMModuleRef mod;
    private final LLVMBuilderRef b;
    private final LLVMTypeRef i1, i32, i64, f32, f64, ptr, voidTy;
    /** The type of {@code index} values: as wide as a pointer (i64 on the host; i32 on 32-bit targets, where i64 division and conversions would be libcalls). */
    private final LLVMTypeRef idx;
    private final String cpu, features;
    private final int loopKind;

    private final boolean contract;

    LoopToLlvm(LLVMContextRef ctx, LLVMModuleRef mod, String cpu, String features) { this(ctx, mod, cpu, features, 64, true); }

    /**
     * @param indexBits the width of {@code index} values: the target's pointer width (64 or 32)
     * @param contract  whether float multiply-adds become {@code llvm.fmuladd} (targets with a fast
     *                  fused multiply-add); otherwise a product and a sum, rounded separately
     */
    LoopToLlvm(LLVMContextRef ctx, LLVMModuleRef mod, String cpu, String features, int indexBits, boolean contract) {
        this.contract = contract;
        this.ctx = ctx;
        this.mod = mod;
        this.cpu = cpu;
        this.features = features;
        this.b = LLVMCreateBuilderInContext(ctx);
        i1 = LLVMInt1TypeInContext(ctx);
        i32 = LLVMInt32TypeInContext(ctx);
        i64 = LLVMInt64TypeInContext(ctx);
        idx = LLVMIntTypeInContext(ctx, indexBits);
        f32 = LLVMFloatTypeInContext(ctx);
        f64 = LLVMDoubleTypeInContext(ctx);
        ptr = LLVMPointerTypeInContext(ctx, 0);
        voidTy = LLVMVoidTypeInContext(ctx);
        loopKind = LLVMGetMDKindIDInContext(ctx, "llvm.loop", 9);
    }

    void dispose() { LLVMDisposeBuilder(b); }

    // ---------------- memory regions ----------------

    private enum Base { INPUT, OUTPUT, WEIGHTS, ARENA }

    /** Where a buffer's memory is: a caller pointer (input i, output i, weights, arena) plus a byte offset. */
    private record Region(Base base, int index, long offset, long bytes) {
        boolean overlaps(Region o) {
            if (base != o.base || index != o.index) return false;
            return offset < o.offset + o.bytes && o.offset < offset + bytes;
        }

        Region key() { return new Region(base, index, offset, 0); }
    }

    private static Region regionOf(Program p, Buffer buf) {
        Buffer r = p.root(buf);
        return switch (r.role()) {
            case Role.Input in -> new Region(Base.INPUT, in.index(), 0, r.bytes());
            case Role.Output out -> new Region(Base.OUTPUT, out.index(), 0, r.bytes());
            case Role.Weight w -> new Region(Base.WEIGHTS, 0, planned(w.offset(), r), r.bytes());
            case Role.Arena a -> new Region(Base.ARENA, 0, planned(a.offset(), r), r.bytes());
            case Role.Scratch s -> new Region(Base.ARENA, 0, planned(s.offset(), r), r.bytes());
            case Role.View v -> throw new IllegalStateException("root is a view");
        };
    }

    private static long planned(long offset, Buffer b) {
        if (offset == Role.UNPLANNED) throw new IllegalStateException("buffer %" + b.name() + " has no offset: plan memory before code generation");
        return offset;
    }

    // ---------------- functions ----------------

    private void targetAttributes(LLVMValueRef fn) {
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateStringAttribute(ctx, "target-cpu", 10, cpu, cpu.length()));
        if (!features.isEmpty()) {
            LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                    LLVMCreateStringAttribute(ctx, "target-features", 15, features, features.length()));
        }
        enumAttr(fn, LLVMAttributeFunctionIndex, "nounwind");
    }

    private void enumAttr(LLVMValueRef fn, int index, String name) {
        int kind = LLVMGetEnumAttributeKindForName(name, name.length());
        if (kind == 0) throw new IllegalStateException("LLVM has no attribute " + name);
        LLVMAddAttributeAtIndex(fn, index, LLVMCreateEnumAttribute(ctx, kind, 0));
    }

    /**
     * A C array of LLVM handles. (Never {@code new PointerPointer<>(x)} with one handle: that
     * constructor reinterprets x itself as an array.)
     */
    @SafeVarargs
    static <P extends org.bytedeco.javacpp.Pointer> PointerPointer<P> array(P... ps) {
        PointerPointer<P> a = new PointerPointer<>(Math.max(1, ps.length));
        for (int i = 0; i < ps.length; i++) a.put(i, ps[i]);
        return a;
    }

    private static PointerPointer<LLVMTypeRef> types(List<LLVMTypeRef> ts) {
        return array(ts.toArray(new LLVMTypeRef[0]));
    }

    private static PointerPointer<LLVMValueRef> values(List<LLVMValueRef> vs) {
        return array(vs.toArray(new LLVMValueRef[0]));
    }

    /**
     * Adds the entry function {@code symbol} and the kernels of a planned program; with
     * {@code profiled}, also the exported counters {@code SYMBOL_profile} (see {@link LlvmTarget.Entry}).
     */
    void addProgram(Program p, String symbol, boolean profiled) {
        int nIn = p.inputs().size(), nOut = p.outputs().size();
        List<LLVMTypeRef> params = new ArrayList<>();
        for (int k = 0; k < nIn + nOut + 2; k++) params.add(ptr);
        LLVMTypeRef fnTy = LLVMFunctionType(voidTy, types(params), params.size(), 0);
        LLVMValueRef forward = LLVMAddFunction(mod, symbol, fnTy);
        targetAttributes(forward);
        for (int k = 0; k < params.size(); k++) enumAttr(forward, k + 1, "noalias");
        LLVMValueRef arenaBytes = LLVMAddGlobal(mod, i64, symbol + "_arena_bytes");
        LLVMSetInitializer(arenaBytes, LLVMConstInt(i64, p.arenaBytes(), 0));
        LLVMSetGlobalConstant(arenaBytes, 1);
        LLVMValueRef weightBytes = LLVMAddGlobal(mod, i64, symbol + "_weight_bytes");
        LLVMSetInitializer(weightBytes, LLVMConstInt(i64, p.weightBytes(), 0));
        LLVMSetGlobalConstant(weightBytes, 1);

        Map<String, Buffer> buffers = new HashMap<>();
        for (Buffer buf : p.buffers()) buffers.put(buf.name(), buf);
        List<LLVMValueRef> kernelFns = new ArrayList<>();
        List<List<Region>> kernelArgs = new ArrayList<>();
        int index = 0;
        for (Kernel k : p.kernels()) {
            // distinct regions this kernel touches
            LinkedHashMap<Region, Region> regions = new LinkedHashMap<>();
            Map<String, Region> bufferRegion = new HashMap<>();
            for (String name : tml.optimizer.memory.BufferUses.of(k).all()) {
                Region r = regionOf(p, buffers.get(name));
                regions.merge(r.key(), r, (x, y) -> x.bytes >= y.bytes ? x : y);
                bufferRegion.put(name, r.key());
            }
            List<Region> list = new ArrayList<>(regions.values());
            List<LLVMTypeRef> kp = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) kp.add(ptr);
            LLVMValueRef fn = LLVMAddFunction(mod, symbol + ".k" + index++ + "." + sanitize(k.name()), LLVMFunctionType(voidTy, types(kp), kp.size(), 0));
            LLVMSetLinkage(fn, LLVMInternalLinkage);
            targetAttributes(fn);
            Map<String, LLVMValueRef> pointers = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                Region r = list.get(i);
                boolean alone = true;
                for (int j = 0; j < list.size(); j++) if (j != i && r.overlaps(list.get(j))) alone = false;
                if (alone) enumAttr(fn, i + 1, "noalias");
            }
            for (var e : bufferRegion.entrySet()) {
                int i = 0;
                for (Region r : list) {
                    if (r.key().equals(e.getValue())) break;
                    i++;
                }
                pointers.put(e.getKey(), LLVMGetParam(fn, i));
            }
            new KernelGen(fn, pointers, buffers).body(k.body());
            kernelFns.add(fn);
            kernelArgs.add(list);
        }

        LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(ctx, forward, "entry");
        LLVMPositionBuilderAtEnd(b, entry);
        Counters counters = profiled ? new Counters(symbol, kernelFns.size()) : null;
        LLVMValueRef start = profiled ? counters.now() : null;
        for (int k = 0; k < kernelFns.size(); k++) {
            List<LLVMValueRef> args = new ArrayList<>();
            for (Region r : kernelArgs.get(k)) {
                LLVMValueRef base = switch (r.base) {
                    case INPUT -> LLVMGetParam(forward, r.index);
                    case OUTPUT -> LLVMGetParam(forward, nIn + r.index);
                    case WEIGHTS -> LLVMGetParam(forward, nIn + nOut);
                    case ARENA -> LLVMGetParam(forward, nIn + nOut + 1);
                };
                if (r.offset != 0) {
                    LLVMTypeRef i8 = LLVMInt8TypeInContext(ctx);
                    base = LLVMBuildInBoundsGEP2(b, i8, base, values(List.of(LLVMConstInt(idx, r.offset, 0))), 1, "");
                }
                args.add(base);
            }
            LLVMValueRef fn = kernelFns.get(k);
            LLVMValueRef before = profiled ? counters.now() : null;
            LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, values(args), args.size(), "");
            if (profiled) counters.add(k, before);
        }
        if (profiled) counters.add(kernelFns.size(), start);
        LLVMBuildRetVoid(b);
    }

    /** The exported array {@code SYMBOL_profile} of cycle sums, and the code that adds to it. */
    private final class Counters {
        private final LLVMTypeRef type;
        private final LLVMValueRef global, readCycles;

        Counters(String symbol, int kernels) {
            type = LLVMArrayType2(i64, kernels + 1);
            global = LLVMAddGlobal(mod, type, symbol + "_profile");
            LLVMSetInitializer(global, LLVMConstNull(type));
            LLVMValueRef fn = LLVMGetNamedFunction(mod, "llvm.readcyclecounter");
            readCycles = fn != null && !fn.isNull() ? fn : LLVMAddFunction(mod, "llvm.readcyclecounter", LLVMFunctionType(i64, new PointerPointer<>(0), 0, 0));
        }

        LLVMValueRef now() {
            return LLVMBuildCall2(b, LLVMGlobalGetValueType(readCycles), readCycles, new PointerPointer<>(0), 0, "");
        }

        /** {@code SYMBOL_profile[slot] += now() - since}. */
        void add(int slot, LLVMValueRef since) {
            LLVMValueRef elapsed = LLVMBuildSub(b, now(), since, "");
            LLVMValueRef at = LLVMBuildInBoundsGEP2(b, type, global, values(List.of(LLVMConstInt(i64, 0, 0), LLVMConstInt(i64, slot, 0))), 2, "");
            LLVMValueRef sum = LLVMBuildAdd(b, LLVMBuildLoad2(b, i64, at, ""), elapsed, "");
            LLVMBuildStore(b, sum, at);
        }
    }

    private static String sanitize(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(Character.isLetterOrDigit(c) || c == '_' || c == '.' ? c : '_');
        return sb.toString();
    }

    // ---------------- kernels ----------------

    private final class KernelGen {
        final LLVMValueRef fn;
        final Map<String, LLVMValueRef> pointers;
        final Map<String, Buffer> buffers;
        final LLVMBasicBlockRef allocas;
        final Map<String, LLVMValueRef> loopVars = new HashMap<>();
        final Map<String, LLVMValueRef> locals = new HashMap<>();
        final Map<String, LLVMTypeRef> localTypes = new HashMap<>();

        KernelGen(LLVMValueRef fn, Map<String, LLVMValueRef> pointers, Map<String, Buffer> buffers) {
            this.fn = fn;
            this.pointers = pointers;
            this.buffers = buffers;
            this.allocas = LLVMAppendBasicBlockInContext(ctx, fn, "allocas");
        }

        void body(Block body) {
            LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(ctx, fn, "start");
            LLVMPositionBuilderAtEnd(b, start);
            block(body);
            LLVMBuildRetVoid(b);
            LLVMPositionBuilderAtEnd(b, allocas);
            LLVMBuildBr(b, start);
        }

        LLVMTypeRef llvmType(ScalarType t) {
            return switch (t) {
                case INDEX -> idx;
                case F32 -> f32;
                case F64 -> f64;
                case BOOL -> i1;
            };
        }

        void block(Block blk) {
            List<String> declared = new ArrayList<>();
            for (Stmt s : blk.stmts()) stmt(s, declared);
            for (String d : declared) {
                locals.remove(d);
                localTypes.remove(d);
            }
        }

        LLVMValueRef element(String buffer, Expr index) {
            Buffer buf = buffers.get(buffer);
            return LLVMBuildInBoundsGEP2(b, llvmType(buf.type()), pointers.get(buffer), values(List.of(expr(index))), 1, "");
        }

        void stmt(Stmt s, List<String> declared) {
            switch (s) {
                case For f -> forLoop(f);
                case Store st -> {
                    LLVMValueRef value = expr(st.value());
                    LLVMValueRef store = LLVMBuildStore(b, value, element(st.buffer(), st.index()));
                    LLVMSetAlignment(store, buffers.get(st.buffer()).type().bytes());
                }
                case Block blk -> block(blk);
                case If i -> {
                    LLVMValueRef cond = expr(i.cond());
                    LLVMBasicBlockRef then = LLVMAppendBasicBlockInContext(ctx, fn, "then");
                    LLVMBasicBlockRef otherwise = LLVMAppendBasicBlockInContext(ctx, fn, "else");
                    LLVMBasicBlockRef merge = LLVMAppendBasicBlockInContext(ctx, fn, "endif");
                    LLVMBuildCondBr(b, cond, then, otherwise);
                    LLVMPositionBuilderAtEnd(b, then);
                    block(i.then());
                    LLVMBuildBr(b, merge);
                    LLVMPositionBuilderAtEnd(b, otherwise);
                    i.otherwise().ifPresent(this::block);
                    LLVMBuildBr(b, merge);
                    LLVMPositionBuilderAtEnd(b, merge);
                }
                case Local l -> {
                    LLVMValueRef init = expr(l.init());
                    LLVMTypeRef t = llvmType(l.type());
                    LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
                    LLVMPositionBuilderAtEnd(b, allocas);
                    LLVMValueRef slot = LLVMBuildAlloca(b, t, l.name());
                    LLVMPositionBuilderAtEnd(b, here);
                    LLVMBuildStore(b, init, slot);
                    locals.put(l.name(), slot);
                    localTypes.put(l.name(), t);
                    declared.add(l.name());
                }
                case Assign a -> LLVMBuildStore(b, expr(a.value()), locals.get(a.name()));
            }
        }

        void forLoop(For f) {
            // loops holding loops, and loops of exactly one vector (the tiles of TiledConv), vectorize here
            boolean oneVector = f.lo() instanceof IntConst lo && f.hi() instanceof IntConst hi
                    && f.annotation() instanceof Annotation.Vectorize v && hi.value() - lo.value() == v.width();
            if (f.annotation() instanceof Annotation.Vectorize v && (containsLoop(f.body()) || oneVector) && new VectorGen(this, f, v.width()).supported()) {
                new VectorGen(this, f, v.width()).emit();
                return;
            }
            scalarLoop(f, expr(f.lo()));
        }

        void scalarLoop(For f, LLVMValueRef lo) {
            LLVMValueRef hi = expr(f.hi());
            LLVMBasicBlockRef pre = LLVMGetInsertBlock(b);
            LLVMBasicBlockRef header = LLVMAppendBasicBlockInContext(ctx, fn, f.var() + ".header");
            LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(ctx, fn, f.var() + ".body");
            LLVMBasicBlockRef exit = LLVMAppendBasicBlockInContext(ctx, fn, f.var() + ".exit");
            LLVMBuildBr(b, header);
            LLVMPositionBuilderAtEnd(b, header);
            LLVMValueRef iv = LLVMBuildPhi(b, idx, f.var());
            LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, iv, hi, ""), body, exit);
            LLVMPositionBuilderAtEnd(b, body);
            loopVars.put(f.var(), iv);
            block(f.body());
            loopVars.remove(f.var());
            LLVMValueRef next = LLVMBuildNSWAdd(b, iv, LLVMConstInt(idx, 1, 0), f.var() + ".next");
            LLVMBasicBlockRef latch = LLVMGetInsertBlock(b);
            LLVMValueRef back = LLVMBuildBr(b, header);
            LLVMMetadataRef md = loopMetadata(f.annotation(), containsLoop(f.body()));
            if (md != null) LLVMSetMetadata(back, loopKind, LLVMMetadataAsValue(ctx, md));
            LLVMAddIncoming(iv, values(List.of(lo, next)), array(pre, latch), 2);
            LLVMPositionBuilderAtEnd(b, exit);
        }

        // ---------------- expressions ----------------

        ScalarType typeOf(LLVMValueRef v) {
            LLVMTypeRef t = LLVMTypeOf(v);
            if (LLVMGetTypeKind(t) == LLVMVectorTypeKind) t = LLVMGetElementType(t);
            int kind = LLVMGetTypeKind(t);
            if (kind == LLVMFloatTypeKind) return ScalarType.F32;
            if (kind == LLVMDoubleTypeKind) return ScalarType.F64;
            return LLVMGetIntTypeWidth(t) == 1 ? ScalarType.BOOL : ScalarType.INDEX;
        }

        /** The type {@code t}, or a vector of it as wide as {@code like} when that is a vector. */
        LLVMTypeRef typeLike(ScalarType t, LLVMValueRef like) {
            LLVMTypeRef lt = LLVMTypeOf(like);
            return LLVMGetTypeKind(lt) == LLVMVectorTypeKind ? LLVMVectorType(llvmType(t), LLVMGetVectorSize(lt)) : llvmType(t);
        }

        LLVMValueRef expr(Expr e) {
            return switch (e) {
                case IntConst c -> LLVMConstInt(idx, c.value(), 1);
                case FloatConst c -> LLVMConstReal(c.type() == ScalarType.F32 ? f32 : f64, c.value());
                case Var v -> {
                    LLVMValueRef iv = loopVars.get(v.name());
                    if (iv != null) yield iv;
                    yield LLVMBuildLoad2(b, localTypes.get(v.name()), locals.get(v.name()), v.name());
                }
                case Load l -> {
                    Buffer buf = buffers.get(l.buffer());
                    LLVMValueRef load = LLVMBuildLoad2(b, llvmType(buf.type()), element(l.buffer(), l.index()), "");
                    LLVMSetAlignment(load, buf.type().bytes());
                    yield load;
                }
                case Binary bin when contract && fmaOf(bin) != null -> {
                    Fma fma = fmaOf(bin);
                    LLVMValueRef c = expr(fma.addend());
                    LLVMValueRef x = expr(fma.product().a()), y = expr(fma.product().b());
                    ScalarType t = typeOf(c);
                    yield t == ScalarType.F32 || t == ScalarType.F64 ? fmuladd(x, y, c) : binary(BinOp.ADD, c, binary(BinOp.MUL, x, y));
                }
                case Binary bin -> binary(bin.op(), expr(bin.a()), expr(bin.b()));
                case Select s -> {
                    LLVMValueRef c = expr(s.cond()), x = expr(s.a()), y = expr(s.b());
                    yield LLVMBuildSelect(b, c, x, y, "");
                }
                case Cast c -> cast(c.type(), expr(c.value()));
                case Call c -> {
                    LLVMValueRef x = expr(c.arg());
                    yield switch (c.fn()) {
                        case SQRT -> intrinsic1("llvm.sqrt." + typeSuffix(x), x);
                        case EXP -> call(expf(LLVMTypeOf(x)), x);
                        case TANH -> call(tanhf(LLVMTypeOf(x)), x);
                    };
                }
            };
        }

        LLVMValueRef cast(ScalarType to, LLVMValueRef x) {
            ScalarType from = typeOf(x);
            if (from == to) return x;
            LLVMTypeRef t = typeLike(to, x);
            return switch (to) {
                case INDEX -> from == ScalarType.BOOL ? LLVMBuildZExt(b, x, t, "") : LLVMBuildFPToSI(b, x, t, "");
                case F32 -> switch (from) {
                    case INDEX -> LLVMBuildSIToFP(b, x, t, "");
                    case BOOL -> LLVMBuildUIToFP(b, x, t, "");
                    default -> LLVMBuildFPTrunc(b, x, t, "");
                };
                case F64 -> switch (from) {
                    case INDEX -> LLVMBuildSIToFP(b, x, t, "");
                    case BOOL -> LLVMBuildUIToFP(b, x, t, "");
                    default -> LLVMBuildFPExt(b, x, t, "");
                };
                case BOOL -> throw new IllegalStateException("cast to bool");
            };
        }

        LLVMValueRef binary(BinOp op, LLVMValueRef x, LLVMValueRef y) {
            ScalarType t = typeOf(x);
            if (t == ScalarType.BOOL) {
                return switch (op) {
                    case AND -> LLVMBuildAnd(b, x, y, "");
                    case OR -> LLVMBuildOr(b, x, y, "");
                    case EQ -> LLVMBuildICmp(b, LLVMIntEQ, x, y, "");
                    case NE -> LLVMBuildICmp(b, LLVMIntNE, x, y, "");
                    default -> throw new IllegalStateException(op + " on bool");
                };
            }
            if (t == ScalarType.INDEX) {
                return switch (op) {
                    case ADD -> LLVMBuildNSWAdd(b, x, y, "");
                    case SUB -> LLVMBuildNSWSub(b, x, y, "");
                    case MUL -> LLVMBuildNSWMul(b, x, y, "");
                    case DIV -> floorDiv(x, y);
                    case REM -> floorMod(x, y);
                    case MIN -> LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, y, x, ""), y, x, "");
                    case MAX -> LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, y, x, ""), y, x, "");
                    case LT -> LLVMBuildICmp(b, LLVMIntSLT, x, y, "");
                    case LE -> LLVMBuildICmp(b, LLVMIntSLE, x, y, "");
                    case GT -> LLVMBuildICmp(b, LLVMIntSGT, x, y, "");
                    case GE -> LLVMBuildICmp(b, LLVMIntSGE, x, y, "");
                    case EQ -> LLVMBuildICmp(b, LLVMIntEQ, x, y, "");
                    case NE -> LLVMBuildICmp(b, LLVMIntNE, x, y, "");
                    case AND, OR -> throw new IllegalStateException(op + " on index");
                };
            }
            return switch (op) {
                case ADD -> LLVMBuildFAdd(b, x, y, "");
                case SUB -> LLVMBuildFSub(b, x, y, "");
                case MUL -> LLVMBuildFMul(b, x, y, "");
                case DIV -> LLVMBuildFDiv(b, x, y, "");
                case MIN -> LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, y, x, ""), y, x, "");
                case MAX -> LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, y, x, ""), y, x, "");
                case LT -> LLVMBuildFCmp(b, LLVMRealOLT, x, y, "");
                case LE -> LLVMBuildFCmp(b, LLVMRealOLE, x, y, "");
                case GT -> LLVMBuildFCmp(b, LLVMRealOGT, x, y, "");
                case GE -> LLVMBuildFCmp(b, LLVMRealOGE, x, y, "");
                case EQ -> LLVMBuildFCmp(b, LLVMRealOEQ, x, y, "");
                case NE -> LLVMBuildFCmp(b, LLVMRealUNE, x, y, "");
                case REM, AND, OR -> throw new IllegalStateException(op + " on floats");
            };
        }

        /** Division rounding toward negative infinity: sdiv, minus one when the remainder's sign differs from the divisor's. */
        LLVMValueRef floorDiv(LLVMValueRef x, LLVMValueRef y) {
            LLVMValueRef q = LLVMBuildSDiv(b, x, y, ""), r = LLVMBuildSRem(b, x, y, "");
            LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(x));
            LLVMValueRef adjust = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntNE, r, zero, ""),
                    LLVMBuildICmp(b, LLVMIntSLT, LLVMBuildXor(b, r, y, ""), zero, ""), "");
            return LLVMBuildSub(b, q, LLVMBuildZExt(b, adjust, LLVMTypeOf(x), ""), "");
        }

        LLVMValueRef floorMod(LLVMValueRef x, LLVMValueRef y) {
            LLVMValueRef r = LLVMBuildSRem(b, x, y, "");
            LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(x));
            LLVMValueRef adjust = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntNE, r, zero, ""),
                    LLVMBuildICmp(b, LLVMIntSLT, LLVMBuildXor(b, r, y, ""), zero, ""), "");
            return LLVMBuildAdd(b, r, LLVMBuildSelect(b, adjust, y, zero, ""), "");
        }
    }

    private LLVMValueRef call(LLVMValueRef fn, LLVMValueRef... args) {
        return LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, array(args), args.length, "");
    }

    /** The overload suffix of an intrinsic for x's type: f32, f64, v8f32, ... */
    private static String typeSuffix(LLVMValueRef x) {
        LLVMTypeRef t = LLVMTypeOf(x);
        String v = "";
        if (LLVMGetTypeKind(t) == LLVMVectorTypeKind) {
            v = "v" + LLVMGetVectorSize(t);
            t = LLVMGetElementType(t);
        }
        return v + (LLVMGetTypeKind(t) == LLVMDoubleTypeKind ? "f64" : "f32");
    }

    private LLVMValueRef intrinsic1(String name, LLVMValueRef x) {
        LLVMValueRef fn = LLVMGetNamedFunction(mod, name);
        if (fn == null || fn.isNull()) {
            LLVMTypeRef t = LLVMTypeOf(x);
            fn = LLVMAddFunction(mod, name, LLVMFunctionType(t, array(t), 1, 0));
        }
        return call(fn, x);
    }

    /** A multiply-add {@code product + addend} found in an expression. */
    private record Fma(Binary product, Expr addend) {}

    /** For {@code c + a * b} or {@code a * b + c}: the product and c; null for any other expression. */
    private static Fma fmaOf(Binary bin) {
        if (bin.op() != BinOp.ADD) return null;
        if (bin.b() instanceof Binary m && m.op() == BinOp.MUL) return new Fma(m, bin.a());
        if (bin.a() instanceof Binary m && m.op() == BinOp.MUL) return new Fma(m, bin.b());
        return null;
    }

    /**
     * {@code a * b + c} as {@code llvm.fmuladd}: the backend contracts every floating-point
     * multiply-add of the loop IR into a fused multiply-add where the target has one (one rounding
     * instead of two; AVX2 + FMA on the host). This is the only place results may differ from the
     * loop interpreter's separately rounded product and sum.
     */
    private LLVMValueRef fmuladd(LLVMValueRef a, LLVMValueRef bb, LLVMValueRef c) {
        String name = "llvm.fmuladd." + typeSuffix(c);
        LLVMValueRef fn = LLVMGetNamedFunction(mod, name);
        if (fn == null || fn.isNull()) {
            LLVMTypeRef t = LLVMTypeOf(c);
            fn = LLVMAddFunction(mod, name, LLVMFunctionType(t, array(t, t, t), 3, 0));
        }
        return call(fn, a, bb, c);
    }

    private LLVMValueRef intrinsic2(String name, LLVMValueRef x, LLVMValueRef y) {
        LLVMValueRef fn = LLVMGetNamedFunction(mod, name);
        if (fn == null || fn.isNull()) {
            LLVMTypeRef t = LLVMTypeOf(x);
            fn = LLVMAddFunction(mod, name, LLVMFunctionType(t, array(t, t), 2, 0));
        }
        return call(fn, x, y);
    }

    // ---------------- loop metadata ----------------

    private LLVMMetadataRef property(String name, LLVMValueRef value) {
        LLVMMetadataRef key = LLVMMDStringInContext2(ctx, name, name.length());
        return LLVMMDNodeInContext2(ctx, array(key, LLVMValueAsMetadata(value)), 2);
    }

    private static boolean containsLoop(Stmt s) {
        return switch (s) {
            case For f -> true;
            case Block blk -> blk.stmts().stream().anyMatch(LoopToLlvm::containsLoop);
            case If i -> containsLoop(i.then()) || i.otherwise().map(LoopToLlvm::containsLoop).orElse(false);
            default -> false;
        };
    }

    /**
     * A self-referential loop ID with the annotation's hints, or null for a plain loop. A serial loop
     * around other loops is never unrolled: the schedule says which loops to unroll, and unrolling
     * loop nests multiplies code size and compile time for little gain.
     */
    private LLVMMetadataRef loopMetadata(Annotation a, boolean outer) {
        List<LLVMMetadataRef> props = new ArrayList<>();
        switch (a) {
            case Annotation.Vectorize v -> {
                props.add(property("llvm.loop.vectorize.enable", LLVMConstInt(i1, 1, 0)));
                props.add(property("llvm.loop.vectorize.width", LLVMConstInt(i32, v.width(), 0)));
            }
            case Annotation.Unroll u -> props.add(property("llvm.loop.unroll.count", LLVMConstInt(i32, u.factor(), 0)));
            case Annotation.Serial s -> {
                if (outer) props.add(LLVMMDNodeInContext2(ctx, array(LLVMMDStringInContext2(ctx, "llvm.loop.unroll.disable", 24)), 1));
            }
            case Annotation.Parallel p -> { } // one thread on the host for now: a plain loop
        }
        if (props.isEmpty()) return null;
        LLVMMetadataRef temp = LLVMTemporaryMDNode(ctx, new PointerPointer<LLVMMetadataRef>(1), 0);
        List<LLVMMetadataRef> ops = new ArrayList<>();
        ops.add(temp);
        ops.addAll(props);
        LLVMMetadataRef id = LLVMMDNodeInContext2(ctx, array(ops.toArray(new LLVMMetadataRef[0])), ops.size());
        LLVMMetadataReplaceAllUsesWith(temp, id);
        return id;
    }

    // ---------------- math helpers ----------------

    /** A float constant of type t (f32 or a vector of f32: then splat). */
    private LLVMValueRef cf(LLVMTypeRef t, double v) { return splat(t, LLVMConstReal(f32, v)); }

    private LLVMValueRef ci(LLVMTypeRef t, long v) { return splat(t, LLVMConstInt(i32, v, 1)); }

    /** {@code scalar} as a constant of type t: itself, or a vector with every lane equal to it. */
    private LLVMValueRef splat(LLVMTypeRef t, LLVMValueRef scalar) {
        if (LLVMGetTypeKind(t) != LLVMVectorTypeKind) return scalar;
        int n = LLVMGetVectorSize(t);
        LLVMValueRef[] lanes = new LLVMValueRef[n];
        java.util.Arrays.fill(lanes, scalar);
        return LLVMConstVector(array(lanes), n);
    }

    /** The i32 type with the shape of t (i32 or a vector of i32). */
    private LLVMTypeRef intLike(LLVMTypeRef t) {
        return LLVMGetTypeKind(t) == LLVMVectorTypeKind ? LLVMVectorType(i32, LLVMGetVectorSize(t)) : i32;
    }

    private static String suffix(LLVMTypeRef t) {
        return LLVMGetTypeKind(t) == LLVMVectorTypeKind ? "v" + LLVMGetVectorSize(t) + "f32" : "f32";
    }

    private LLVMValueRef cf(double v) { return LLVMConstReal(f32, v); }

    private LLVMValueRef helper(String name, LLVMTypeRef t) {
        LLVMValueRef fn = LLVMAddFunction(mod, name, LLVMFunctionType(t, array(t), 1, 0));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        targetAttributes(fn);
        enumAttr(fn, LLVMAttributeFunctionIndex, "alwaysinline");
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, fn, "entry"));
        return fn;
    }

    private final Map<String, LLVMValueRef> mathHelpers = new HashMap<>();

    /**
     * expf as Cephes computes it: n = round(x log2 e), r = x - n ln 2 (in two parts), a degree-5
     * polynomial for e^r, scaled by 2^n in two steps so no intermediate overflows. Below -103.97 it
     * gives 0, above 88.72 +inf; NaN propagates. Relative error about 1 ulp. For f32 or a vector of f32.
     */
    private LLVMValueRef expf(LLVMTypeRef t) {
        String name = "tml_exp_" + suffix(t);
        if (mathHelpers.containsKey(name)) return mathHelpers.get(name);
        LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
        LLVMValueRef fn = helper(name, t);
        LLVMTypeRef it = intLike(t);
        LLVMValueRef x = LLVMGetParam(fn, 0);
        LLVMValueRef lo = cf(t, -87.33654475), hi = cf(t, 88.72283905);
        LLVMValueRef xc = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, x, lo, ""), lo, x, "");
        xc = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, xc, hi, ""), hi, xc, "");
        LLVMValueRef z = LLVMBuildFMul(b, xc, cf(t, 1.44269504088896341), "");
        LLVMValueRef half = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, z, cf(t, 0), ""), cf(t, -0.5), cf(t, 0.5), "");
        LLVMValueRef n = LLVMBuildFPToSI(b, LLVMBuildFAdd(b, z, half, ""), it, "n");
        LLVMValueRef nf = LLVMBuildSIToFP(b, n, t, "");
        LLVMValueRef r = LLVMBuildFSub(b, xc, LLVMBuildFMul(b, nf, cf(t, 0.693359375), ""), "");
        r = LLVMBuildFSub(b, r, LLVMBuildFMul(b, nf, cf(t, -2.12194440e-4), ""), "r");
        double[] c = {1.9875691500E-4, 1.3981999507E-3, 8.3334519073E-3, 4.1665795894E-2, 1.6666665459E-1, 5.0000001201E-1};
        LLVMValueRef p = cf(t, c[0]);
        for (int k = 1; k < c.length; k++) p = LLVMBuildFAdd(b, LLVMBuildFMul(b, p, r, ""), cf(t, c[k]), "");
        LLVMValueRef r2 = LLVMBuildFMul(b, r, r, "");
        LLVMValueRef e = LLVMBuildFAdd(b, LLVMBuildFAdd(b, LLVMBuildFMul(b, p, r2, ""), r, ""), cf(t, 1), "");
        // 2^n as two factors 2^(n>>1) and 2^(n - (n>>1)), each a normal float for n in [-126, 128]
        LLVMValueRef n1 = LLVMBuildAShr(b, n, ci(t, 1), "");
        LLVMValueRef n2 = LLVMBuildSub(b, n, n1, "");
        e = LLVMBuildFMul(b, e, pow2(n1, t), "");
        e = LLVMBuildFMul(b, e, pow2(n2, t), "");
        e = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, x, hi, ""), cf(t, Double.POSITIVE_INFINITY), e, "");
        e = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, x, cf(t, -103.972076416), ""), cf(t, 0), e, "");
        LLVMBuildRet(b, e);
        LLVMPositionBuilderAtEnd(b, saved);
        mathHelpers.put(name, fn);
        return fn;
    }

    private LLVMValueRef pow2(LLVMValueRef n, LLVMTypeRef t) {
        LLVMValueRef bits = LLVMBuildShl(b, LLVMBuildAdd(b, n, ci(t, 127), ""), ci(t, 23), "");
        return LLVMBuildBitCast(b, bits, t, "");
    }

    /** tanhf as Cephes: an odd polynomial below |x| = 0.5493, else 1 - 2/(e^{2|x|} + 1) with x's sign. */
    private LLVMValueRef tanhf(LLVMTypeRef t) {
        String name = "tml_tanh_" + suffix(t);
        if (mathHelpers.containsKey(name)) return mathHelpers.get(name);
        LLVMValueRef exp = expf(t);
        LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
        LLVMValueRef fn = helper(name, t);
        LLVMValueRef x = LLVMGetParam(fn, 0);
        LLVMValueRef a = intrinsic1("llvm.fabs." + suffix(t), x);
        LLVMValueRef e = call(exp, LLVMBuildFMul(b, a, cf(t, 2), ""));
        LLVMValueRef big = LLVMBuildFSub(b, cf(t, 1), LLVMBuildFDiv(b, cf(t, 2), LLVMBuildFAdd(b, e, cf(t, 1), ""), ""), "");
        big = intrinsic2("llvm.copysign." + suffix(t), big, x);
        LLVMValueRef z = LLVMBuildFMul(b, x, x, "");
        double[] c = {-5.70498872745E-3, 2.06390887954E-2, -5.37397155531E-2, 1.33314422036E-1, -3.33332819422E-1};
        LLVMValueRef p = cf(t, c[0]);
        for (int k = 1; k < c.length; k++) p = LLVMBuildFAdd(b, LLVMBuildFMul(b, p, z, ""), cf(t, c[k]), "");
        LLVMValueRef small = LLVMBuildFAdd(b, LLVMBuildFMul(b, LLVMBuildFMul(b, p, z, ""), x, ""), x, "");
        LLVMValueRef result = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, a, cf(t, 0.5493), ""), big, small, "");
        LLVMBuildRet(b, result);
        LLVMPositionBuilderAtEnd(b, saved);
        mathHelpers.put(name, fn);
        return fn;
    }

    /**
     * Explicit vectorization of a {@code vectorize(w)} loop that holds other loops (outer-loop
     * vectorization, as the pointwise convolution's pixel loop around its reduction over input
     * channels), which LLVM's loop vectorizer does not do well: {@code w} consecutive iterations run
     * as one, every value that differs between them is a vector (the loop variable, loads whose
     * index depends on it, the locals computed from those), the rest stays scalar. Loads and stores at
     * consecutive indices are vector loads and stores; others go lane by lane. A scalar loop runs the
     * iterations that do not fill a vector. Each lane computes exactly what the scalar loop computes.
     */
    private final class VectorGen {
        static final int UNIFORM = 0, LINEAR = 1, VECTOR = 2;

        /** A value in the vector loop: uniform (a scalar), linear (lane i is scalar v + i * stride) or a vector. */
        record V(int kind, LLVMValueRef v, long stride) {
            V(int kind, LLVMValueRef v) { this(kind, v, 1); }
        }

        final KernelGen k;
        final For f;
        final int w;
        final java.util.Set<String> declared = new java.util.HashSet<>();
        final java.util.Set<String> varying = new java.util.HashSet<>();
        final Map<String, LLVMValueRef> slots = new HashMap<>();
        final Map<String, LLVMTypeRef> slotTypes = new HashMap<>();
        final Map<String, LLVMValueRef> uniformVars = new HashMap<>();
        LLVMValueRef base;

        VectorGen(KernelGen k, For f, int w) {
            this.k = k;
            this.f = f;
            this.w = w;
            collectDeclared(f.body());
            boolean changed = true;
            while (changed) changed = findVarying(f.body());
        }

        private void collectDeclared(Stmt s) {
            switch (s) {
                case Local l -> declared.add(l.name());
                case For g -> collectDeclared(g.body());
                case Block blk -> blk.stmts().forEach(this::collectDeclared);
                case If i -> {
                    collectDeclared(i.then());
                    i.otherwise().ifPresent(this::collectDeclared);
                }
                default -> { }
            }
        }

        private boolean findVarying(Stmt s) {
            return switch (s) {
                case Local l -> dependsOnLane(l.init()) && varying.add(l.name());
                case Assign a -> declared.contains(a.name()) && dependsOnLane(a.value()) && varying.add(a.name());
                case For g -> findVarying(g.body());
                case Block blk -> blk.stmts().stream().map(this::findVarying).reduce(false, Boolean::logicalOr);
                case If i -> findVarying(i.then()) | i.otherwise().map(this::findVarying).orElse(false);
                default -> false;
            };
        }

        boolean dependsOnLane(Expr e) {
            return switch (e) {
                case Var v -> v.name().equals(f.var()) || varying.contains(v.name());
                case Load l -> dependsOnLane(l.index());
                case Binary bin -> dependsOnLane(bin.a()) || dependsOnLane(bin.b());
                case Select sel -> dependsOnLane(sel.cond()) || dependsOnLane(sel.a()) || dependsOnLane(sel.b());
                case Cast c -> dependsOnLane(c.value());
                case Call c -> dependsOnLane(c.arg());
                default -> false;
            };
        }

        /** Whether every statement has a vector form: uniform inner bounds and conditions, no lane-dependent value stored to one place. */
        boolean supported() { return supported(f.body()); }

        private boolean supported(Stmt s) {
            return switch (s) {
                case For g -> !dependsOnLane(g.lo()) && !dependsOnLane(g.hi()) && supported(g.body());
                case If i -> !dependsOnLane(i.cond()) && supported(i.then()) && i.otherwise().map(this::supported).orElse(true);
                case Store st -> dependsOnLane(st.index()) || !dependsOnLane(st.value());
                case Assign a -> declared.contains(a.name()) || !dependsOnLane(a.value());
                case Block blk -> blk.stmts().stream().allMatch(this::supported);
                case Local l -> true;
            };
        }

        void emit() {
            LLVMValueRef lo = k.expr(f.lo()), hi = k.expr(f.hi());
            LLVMBasicBlockRef pre = LLVMGetInsertBlock(b);
            LLVMBasicBlockRef header = LLVMAppendBasicBlockInContext(ctx, k.fn, f.var() + ".vheader");
            LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(ctx, k.fn, f.var() + ".vbody");
            LLVMBasicBlockRef rest = LLVMAppendBasicBlockInContext(ctx, k.fn, f.var() + ".rest");
            LLVMBuildBr(b, header);
            LLVMPositionBuilderAtEnd(b, header);
            LLVMValueRef iv = LLVMBuildPhi(b, idx, f.var());
            LLVMValueRef end = LLVMBuildNSWAdd(b, iv, LLVMConstInt(idx, w, 0), "");
            LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLE, end, hi, ""), body, rest);
            LLVMPositionBuilderAtEnd(b, body);
            base = iv;
            block(f.body());
            LLVMBasicBlockRef latch = LLVMGetInsertBlock(b);
            LLVMValueRef back = LLVMBuildBr(b, header);
            LLVMSetMetadata(back, loopKind, LLVMMetadataAsValue(ctx, loopMetadata(Annotation.SERIAL, true)));
            LLVMAddIncoming(iv, values(List.of(lo, end)), array(pre, latch), 2);
            LLVMPositionBuilderAtEnd(b, rest);
            // the iterations left over, one at a time
            k.scalarLoop(new For(f.var(), f.lo(), f.hi(), Annotation.SERIAL, f.body()), iv);
        }

        private LLVMTypeRef vectorOf(LLVMTypeRef t) { return LLVMVectorType(t, w); }

        private void block(Block blk) {
            List<String> mine = new ArrayList<>();
            for (Stmt s : blk.stmts()) stmt(s, mine);
            for (String m : mine) {
                slots.remove(m);
                slotTypes.remove(m);
            }
        }

        private void stmt(Stmt s, List<String> mine) {
            switch (s) {
                case For g -> {
                    LLVMValueRef lo = scalar(g.lo()), hi = scalar(g.hi());
                    LLVMBasicBlockRef pre = LLVMGetInsertBlock(b);
                    LLVMBasicBlockRef header = LLVMAppendBasicBlockInContext(ctx, k.fn, g.var() + ".header");
                    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(ctx, k.fn, g.var() + ".body");
                    LLVMBasicBlockRef exit = LLVMAppendBasicBlockInContext(ctx, k.fn, g.var() + ".exit");
                    LLVMBuildBr(b, header);
                    LLVMPositionBuilderAtEnd(b, header);
                    LLVMValueRef iv = LLVMBuildPhi(b, idx, g.var());
                    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, iv, hi, ""), body, exit);
                    LLVMPositionBuilderAtEnd(b, body);
                    uniformVars.put(g.var(), iv);
                    block(g.body());
                    uniformVars.remove(g.var());
                    LLVMValueRef next = LLVMBuildNSWAdd(b, iv, LLVMConstInt(idx, 1, 0), "");
                    LLVMBasicBlockRef latch = LLVMGetInsertBlock(b);
                    LLVMValueRef back = LLVMBuildBr(b, header);
                    LLVMMetadataRef md = loopMetadata(containsLoop(g.body()) ? Annotation.SERIAL : g.annotation(), true);
                    if (md != null) LLVMSetMetadata(back, loopKind, LLVMMetadataAsValue(ctx, md));
                    LLVMAddIncoming(iv, values(List.of(lo, next)), array(pre, latch), 2);
                    LLVMPositionBuilderAtEnd(b, exit);
                }
                case Store st -> {
                    V index = vexpr(st.index()), value = vexpr(st.value());
                    Buffer buf = k.buffers.get(st.buffer());
                    LLVMTypeRef et = k.llvmType(buf.type());
                    LLVMValueRef ptrBase = k.pointers.get(st.buffer());
                    switch (index.kind) {
                        case LINEAR -> {
                            if (index.stride == 1) {
                                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(index.v)), 1, "");
                                LLVMSetAlignment(LLVMBuildStore(b, materialize(value), at), buf.type().bytes());
                            } else {
                                LLVMValueRef vals = value.kind == UNIFORM ? null : materialize(value);
                                for (int lane = 0; lane < w; lane++) {
                                    LLVMValueRef i = LLVMBuildNSWAdd(b, index.v, LLVMConstInt(idx, lane * index.stride, 1), "");
                                    LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(i)), 1, "");
                                    LLVMValueRef one = vals == null ? value.v : LLVMBuildExtractElement(b, vals, LLVMConstInt(i32, lane, 0), "");
                                    LLVMSetAlignment(LLVMBuildStore(b, one, at), buf.type().bytes());
                                }
                            }
                        }
                        case VECTOR -> {
                            LLVMValueRef vals = value.kind == UNIFORM ? null : materialize(value);
                            for (int lane = 0; lane < w; lane++) {
                                LLVMValueRef l = LLVMConstInt(i32, lane, 0);
                                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(LLVMBuildExtractElement(b, index.v, l, ""))), 1, "");
                                LLVMValueRef one = vals == null ? value.v : LLVMBuildExtractElement(b, vals, l, "");
                                LLVMSetAlignment(LLVMBuildStore(b, one, at), buf.type().bytes());
                            }
                        }
                        default -> {
                            LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(index.v)), 1, "");
                            LLVMSetAlignment(LLVMBuildStore(b, value.v, at), buf.type().bytes());
                        }
                    }
                }
                case Block blk -> block(blk);
                case If i -> {
                    LLVMValueRef cond = scalar(i.cond());
                    LLVMBasicBlockRef then = LLVMAppendBasicBlockInContext(ctx, k.fn, "then");
                    LLVMBasicBlockRef otherwise = LLVMAppendBasicBlockInContext(ctx, k.fn, "else");
                    LLVMBasicBlockRef merge = LLVMAppendBasicBlockInContext(ctx, k.fn, "endif");
                    LLVMBuildCondBr(b, cond, then, otherwise);
                    LLVMPositionBuilderAtEnd(b, then);
                    block(i.then());
                    LLVMBuildBr(b, merge);
                    LLVMPositionBuilderAtEnd(b, otherwise);
                    i.otherwise().ifPresent(this::block);
                    LLVMBuildBr(b, merge);
                    LLVMPositionBuilderAtEnd(b, merge);
                }
                case Local l -> {
                    V init = vexpr(l.init());
                    boolean vec = varying.contains(l.name());
                    LLVMTypeRef t = vec ? vectorOf(k.llvmType(l.type())) : k.llvmType(l.type());
                    LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
                    LLVMPositionBuilderAtEnd(b, k.allocas);
                    LLVMValueRef slot = LLVMBuildAlloca(b, t, l.name());
                    LLVMPositionBuilderAtEnd(b, here);
                    LLVMBuildStore(b, vec ? materialize(init) : init.v, slot);
                    slots.put(l.name(), slot);
                    slotTypes.put(l.name(), t);
                    mine.add(l.name());
                }
                case Assign a -> {
                    V value = vexpr(a.value());
                    if (slots.containsKey(a.name())) {
                        boolean vec = LLVMGetTypeKind(slotTypes.get(a.name())) == LLVMVectorTypeKind;
                        LLVMBuildStore(b, vec ? materialize(value) : value.v, slots.get(a.name()));
                    } else {
                        LLVMBuildStore(b, value.v, k.locals.get(a.name()));
                    }
                }
            }
        }

        private LLVMValueRef scalar(Expr e) {
            V v = vexpr(e);
            if (v.kind != UNIFORM) throw new IllegalStateException("a lane-dependent value where a uniform one is needed: " + LoopPrinter.print(e));
            return v.v;
        }

        /** Lane i of a value as a vector: a splat, base + <0, 1, ...>, or the vector itself. */
        private LLVMValueRef materialize(V v) {
            return switch (v.kind) {
                case UNIFORM -> broadcast(v.v);
                case LINEAR -> {
                    LLVMValueRef[] lanes = new LLVMValueRef[w];
                    for (int i = 0; i < w; i++) lanes[i] = LLVMConstInt(idx, i * v.stride, 1);
                    yield LLVMBuildAdd(b, broadcast(v.v), LLVMConstVector(array(lanes), w), "");
                }
                default -> v.v;
            };
        }

        private LLVMValueRef broadcast(LLVMValueRef scalar) {
            LLVMTypeRef vt = vectorOf(LLVMTypeOf(scalar));
            LLVMValueRef one = LLVMBuildInsertElement(b, LLVMGetPoison(vt), scalar, LLVMConstInt(i32, 0, 0), "");
            return LLVMBuildShuffleVector(b, one, LLVMGetPoison(vt), LLVMConstNull(LLVMVectorType(i32, w)), "");
        }

        private V vexpr(Expr e) {
            switch (e) {
                case IntConst c -> { return new V(UNIFORM, k.expr(e)); }
                case FloatConst c -> { return new V(UNIFORM, k.expr(e)); }
                case Var var -> {
                    if (var.name().equals(f.var())) return new V(LINEAR, base);
                    if (uniformVars.containsKey(var.name())) return new V(UNIFORM, uniformVars.get(var.name()));
                    if (slots.containsKey(var.name())) {
                        LLVMTypeRef t = slotTypes.get(var.name());
                        LLVMValueRef load = LLVMBuildLoad2(b, t, slots.get(var.name()), var.name());
                        return new V(LLVMGetTypeKind(t) == LLVMVectorTypeKind ? VECTOR : UNIFORM, load);
                    }
                    return new V(UNIFORM, k.expr(e));
                }
                case Load l -> {
                    V index = vexpr(l.index());
                    Buffer buf = k.buffers.get(l.buffer());
                    LLVMTypeRef et = k.llvmType(buf.type());
                    LLVMValueRef ptrBase = k.pointers.get(l.buffer());
                    switch (index.kind) {
                        case UNIFORM -> {
                            LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(index.v)), 1, "");
                            LLVMValueRef load = LLVMBuildLoad2(b, et, at, "");
                            LLVMSetAlignment(load, buf.type().bytes());
                            return new V(UNIFORM, load);
                        }
                        case LINEAR -> {
                            if (index.stride == 1) {
                                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(index.v)), 1, "");
                                LLVMValueRef load = LLVMBuildLoad2(b, vectorOf(et), at, "");
                                LLVMSetAlignment(load, buf.type().bytes());
                                return new V(VECTOR, load);
                            }
                            if (index.stride >= 2 && index.stride <= 4) {
                                return new V(VECTOR, stridedLoad(et, ptrBase, index.v, (int) index.stride, buf.type().bytes()));
                            }
                            LLVMValueRef acc = LLVMGetPoison(vectorOf(et));
                            for (int lane = 0; lane < w; lane++) {
                                LLVMValueRef i = LLVMBuildNSWAdd(b, index.v, LLVMConstInt(idx, lane * index.stride, 1), "");
                                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(i)), 1, "");
                                LLVMValueRef one = LLVMBuildLoad2(b, et, at, "");
                                LLVMSetAlignment(one, buf.type().bytes());
                                acc = LLVMBuildInsertElement(b, acc, one, LLVMConstInt(i32, lane, 0), "");
                            }
                            return new V(VECTOR, acc);
                        }
                        default -> {
                            LLVMValueRef acc = LLVMGetPoison(vectorOf(et));
                            for (int lane = 0; lane < w; lane++) {
                                LLVMValueRef ln = LLVMConstInt(i32, lane, 0);
                                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(LLVMBuildExtractElement(b, index.v, ln, ""))), 1, "");
                                LLVMValueRef one = LLVMBuildLoad2(b, et, at, "");
                                LLVMSetAlignment(one, buf.type().bytes());
                                acc = LLVMBuildInsertElement(b, acc, one, ln, "");
                            }
                            return new V(VECTOR, acc);
                        }
                    }
                }
                case Binary bin when contract && fmaOf(bin) != null -> {
                    Fma fma = fmaOf(bin);
                    V c = vexpr(fma.addend());
                    ScalarType t = k.typeOf(c.v);
                    if (t != ScalarType.F32 && t != ScalarType.F64) {
                        return fma.addend() == bin.a() ? binaryV(bin, c, vexpr(bin.b())) : binaryV(bin, vexpr(bin.a()), c);
                    }
                    V x = vexpr(fma.product().a()), y = vexpr(fma.product().b());
                    if (c.kind == UNIFORM && x.kind == UNIFORM && y.kind == UNIFORM) return new V(UNIFORM, fmuladd(x.v, y.v, c.v));
                    return new V(VECTOR, fmuladd(materialize(x), materialize(y), materialize(c)));
                }
                case Binary bin -> { return binaryV(bin, vexpr(bin.a()), vexpr(bin.b())); }
                case Select sel -> {
                    V c = vexpr(sel.cond()), x = vexpr(sel.a()), y = vexpr(sel.b());
                    if (c.kind == UNIFORM && x.kind == UNIFORM && y.kind == UNIFORM) return new V(UNIFORM, LLVMBuildSelect(b, c.v, x.v, y.v, ""));
                    return new V(VECTOR, LLVMBuildSelect(b, materialize(c), materialize(x), materialize(y), ""));
                }
                case Cast c -> {
                    V x = vexpr(c.value());
                    if (x.kind == UNIFORM) return new V(UNIFORM, k.cast(c.type(), x.v));
                    return new V(VECTOR, k.cast(c.type(), materialize(x)));
                }
                case Call c -> {
                    V x = vexpr(c.arg());
                    LLVMValueRef arg = x.kind == UNIFORM ? x.v : materialize(x);
                    LLVMValueRef r = switch (c.fn()) {
                        case SQRT -> intrinsic1("llvm.sqrt." + typeSuffix(arg), arg);
                        case EXP -> call(expf(LLVMTypeOf(arg)), arg);
                        case TANH -> call(tanhf(LLVMTypeOf(arg)), arg);
                    };
                    return new V(x.kind == UNIFORM ? UNIFORM : VECTOR, r);
                }
            }
        }

        /**
         * Elements {@code at + s * lane} as a vector: contiguous vector loads over
         * {@code [at, at + s * (w - 1)]} (the last one moved back so nothing past the last element is
         * read) and shuffles that pick every s-th element: the stride-2 inputs of strided
         * convolutions cost two loads and a shuffle instead of w scalar loads.
         */
        private LLVMValueRef stridedLoad(LLVMTypeRef et, LLVMValueRef ptrBase, LLVMValueRef at, int s, int align) {
            int span = s * (w - 1) + 1, chunks = (span + w - 1) / w;
            LLVMValueRef[] loaded = new LLVMValueRef[chunks];
            int[] start = new int[chunks];
            for (int c = 0; c < chunks; c++) {
                start[c] = Math.min(c * w, span - w);
                LLVMValueRef i = LLVMBuildNSWAdd(b, at, LLVMConstInt(i64, start[c], 1), "");
                LLVMValueRef load = LLVMBuildLoad2(b, vectorOf(et), LLVMBuildInBoundsGEP2(b, et, ptrBase, values(List.of(i)), 1, ""), "");
                LLVMSetAlignment(load, align);
                loaded[c] = load;
            }
            int[] chunkOf = new int[w];
            for (int lane = 0; lane < w; lane++) chunkOf[lane] = Math.min(s * lane / w, chunks - 1);
            LLVMValueRef result = null;
            for (int c = 1; c < chunks; c++) {
                LLVMValueRef[] mask = new LLVMValueRef[w];
                for (int lane = 0; lane < w; lane++) {
                    int e = s * lane;
                    int m = chunkOf[lane] == c ? w + e - start[c]
                            : c == 1 && chunkOf[lane] == 0 ? e - start[0]
                            : c > 1 && chunkOf[lane] < c ? lane : -1;
                    mask[lane] = m < 0 ? LLVMGetUndef(i32) : LLVMConstInt(i32, m, 0);
                }
                result = LLVMBuildShuffleVector(b, c == 1 ? loaded[0] : result, loaded[c], LLVMConstVector(array(mask), w), "");
            }
            return result;
        }

        /** A binary operation on evaluated operands: linear where index arithmetic keeps it so. */
        private V binaryV(Binary bin, V x, V y) {
            if (x.kind == UNIFORM && y.kind == UNIFORM) return new V(UNIFORM, k.binary(bin.op(), x.v, y.v));
            if (bin.op() == BinOp.ADD && x.kind == LINEAR && y.kind == UNIFORM) return new V(LINEAR, LLVMBuildNSWAdd(b, x.v, y.v, ""), x.stride);
            if (bin.op() == BinOp.ADD && x.kind == UNIFORM && y.kind == LINEAR) return new V(LINEAR, LLVMBuildNSWAdd(b, x.v, y.v, ""), y.stride);
            if (bin.op() == BinOp.SUB && x.kind == LINEAR && y.kind == UNIFORM) return new V(LINEAR, LLVMBuildNSWSub(b, x.v, y.v, ""), x.stride);
            if (bin.op() == BinOp.ADD && x.kind == LINEAR && y.kind == LINEAR) return new V(LINEAR, LLVMBuildNSWAdd(b, x.v, y.v, ""), x.stride + y.stride);
            if (bin.op() == BinOp.MUL && x.kind == LINEAR && bin.b() instanceof IntConst c) {
                return new V(LINEAR, LLVMBuildNSWMul(b, x.v, y.v, ""), x.stride * c.value());
            }
            if (bin.op() == BinOp.MUL && y.kind == LINEAR && bin.a() instanceof IntConst c) {
                return new V(LINEAR, LLVMBuildNSWMul(b, x.v, y.v, ""), y.stride * c.value());
            }
            return new V(VECTOR, k.binary(bin.op(), materialize(x), materialize(y)));
        }
    }
}
