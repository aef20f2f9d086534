package tml.backends.c;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tml.backends.c.CHelpers.Helper;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Kernel;
import tml.ir.loop.Program;
import tml.ir.loop.ScalarType;
import tml.optimizer.memory.BufferUses;

/**
 * Translates a planned loop {@link Program} and its packed weights into a self-contained C99
 * translation unit and header ({@link CModel}): one {@code static} function per kernel, named after
 * it, with the loops as the IR writes them; the weights blob as a {@code static const float} array of
 * exact hexadecimal floats; the activation arena as a static array (or the caller's); and the entry
 * points {@code PREFIX_forward(in..., out...)} and {@code PREFIX_forward_arena(in..., out..., arena)}.
 * The arithmetic is the LLVM backend's, operation for operation (see {@link CHelpers}), so with
 * floating-point contraction off the results are the same bits. The API is documented in the
 * generated header and in docs/backends.md ("C export").
 */
public final class LoopToC {
    private LoopToC() {}

    /** An input or output of the network as the header describes it: its graph name and type (e.g. {@code f32[1, 3, 32, 32]}). */
    public record Port(String name, String type) {}

    /**
     * What to call the exported model. {@code prefix} starts every public C name (made a valid
     * identifier); {@code baseName} names the files ({@code baseName.h}, {@code baseName.c});
     * {@code origin} is a line for the header's first comment; the ports describe inputs and outputs
     * (empty lists: described from the program's buffers).
     */
    public record Api(String prefix, String baseName, String origin, List<Port> inputs, List<Port> outputs) {}

    public static CModel export(Program p, float[] weights, Api api) {
        return new LoopToC.Writer(p, weights, api).write();
    }

    /** The state of one export: names, used helpers, the two texts. */
    private static final class Writer {
        final Program p;
        final float[] weights;
        final Api api;
        final String prefix, macro;
        final CNames file = CNames.fileScope();
        final Set<Helper> helpers = EnumSet.noneOf(Helper.class);
        final Map<String, Buffer> buffers = new LinkedHashMap<>();
        final Map<String, ScalarType> types = new HashMap<>();
        final List<String> inParams = new ArrayList<>(), outParams = new ArrayList<>();
        boolean usesLibm;

        Writer(Program p, float[] weights, Api api) {
            this.p = p;
            this.weights = weights;
            this.api = api;
            this.prefix = CNames.sanitize(api.prefix());
            this.macro = prefix.toUpperCase(Locale.ROOT);
            for (Buffer b : p.buffers()) {
                if (buffers.put(b.name(), b) != null) throw new IllegalArgumentException("buffer %" + b.name() + " is declared twice");
                types.put(b.name(), b.type());
                if (b.type() == ScalarType.BOOL || b.type() == ScalarType.INDEX) {
                    throw new IllegalArgumentException("buffer %" + b.name() + " has element type " + b.type());
                }
                if (b.role() instanceof Role.Weight && b.type() != ScalarType.F32) {
                    throw new IllegalArgumentException("weight %" + b.name() + " is " + b.type() + "; the weights blob holds f32");
                }
                long offset = switch (b.role()) {
                    case Role.Weight w -> w.offset();
                    case Role.Arena a -> a.offset();
                    case Role.Scratch s -> s.offset();
                    default -> 0;
                };
                if (offset == Role.UNPLANNED) throw new IllegalArgumentException("buffer %" + b.name() + " has no offset: plan memory before exporting");
                if (offset % b.type().bytes() != 0) throw new IllegalArgumentException("buffer %" + b.name() + " is at a misaligned offset " + offset);
            }
            if ((long) weights.length * 4 < p.weightBytes()) {
                throw new IllegalArgumentException("the weights blob has " + weights.length * 4L + " bytes, the program needs " + p.weightBytes());
            }
            for (String n : List.of(prefix + "_forward", prefix + "_forward_arena", prefix + "_weights", prefix + "_weights_at", prefix + "_arena",
                    "arena", "weights", "mem", "w")) {
                file.take(n);
            }
            for (int i = 0; i < p.inputs().size(); i++) {
                inParams.add("in" + i);
                file.take("in" + i);
            }
            for (int i = 0; i < p.outputs().size(); i++) {
                outParams.add("out" + i);
                file.take("out" + i);
            }
        }

        long weightElements() { return (p.weightBytes() + 3) / 4; }

        long arenaElements() { return (p.arenaBytes() + 3) / 4; }

        CModel write() {
            StringBuilder kernels = new StringBuilder();
            List<String> calls = new ArrayList<>();
            boolean[] inputUsed = new boolean[inParams.size()], outputUsed = new boolean[outParams.size()];
            boolean arenaUsed = false, weightsUsed = false;
            for (Kernel k : p.kernels()) {
                String fn = file.fresh("kernel_" + k.name());
                KernelCode code = kernel(k, fn, kernels);
                calls.add(fn + "(" + String.join(", ", code.args().stream()
                        .map(a -> a.equals("arena") ? "mem" : a.equals("weights") ? "w" : a).toList()) + ");");
                for (String a : code.args()) {
                    if (a.equals("arena")) arenaUsed = true;
                    else if (a.equals("weights")) weightsUsed = true;
                    else if (a.startsWith("in")) inputUsed[Integer.parseInt(a.substring(2))] = true;
                    else outputUsed[Integer.parseInt(a.substring(3))] = true;
                }
            }
            String source = source(kernels, calls, inputUsed, outputUsed, arenaUsed, weightsUsed);
            return new CModel(prefix, api.baseName() + ".h", header(), api.baseName() + ".c", source);
        }

        /** The arguments a kernel function takes, in order: inputs, outputs and the arena it touches. */
        private record KernelCode(List<String> args) {}

        private KernelCode kernel(Kernel k, String fn, StringBuilder out) {
            BufferUses.Uses uses = BufferUses.of(k);
            CNames local = file.child();
            // the roots this kernel touches, then a pointer per buffer it names
            java.util.TreeSet<Integer> ins = new java.util.TreeSet<>(), outs = new java.util.TreeSet<>();
            boolean arena = false, weighted = false;
            Map<String, String> pointerNames = new HashMap<>();
            StringBuilder decls = new StringBuilder();
            for (String name : uses.all()) {
                Buffer b = buffers.get(name);
                if (b == null) throw new IllegalArgumentException("kernel @" + k.name() + " uses undeclared buffer %" + name);
                Buffer root = p.root(b);
                boolean writes = uses.writes().contains(name);
                String type = KernelWriter.cType(b.type());
                String target = switch (root.role()) {
                    case Role.Input in -> {
                        ins.add(in.index());
                        if (writes) throw new IllegalArgumentException("kernel @" + k.name() + " stores into input %" + name);
                        yield inParams.get(in.index());
                    }
                    case Role.Output o -> {
                        outs.add(o.index());
                        yield outParams.get(o.index());
                    }
                    case Role.Weight w -> {
                        if (writes) throw new IllegalArgumentException("kernel @" + k.name() + " stores into weight %" + name);
                        weighted = true;
                        yield w.offset() == 0 ? "weights" : "weights + " + w.offset() / 4;
                    }
                    case Role.Arena a -> {
                        arena = true;
                        yield a.offset() == 0 ? "arena" : "arena + " + a.offset() / 4;
                    }
                    case Role.Scratch s -> {
                        arena = true;
                        yield s.offset() == 0 ? "arena" : "arena + " + s.offset() / 4;
                    }
                    case Role.View v -> throw new IllegalStateException("the root of a view is a view");
                };
                boolean rootIsParam = root.role() instanceof Role.Input || root.role() instanceof Role.Output;
                boolean sameType = rootIsParam ? root.type() == b.type() : b.type() == ScalarType.F32;
                if (!sameType) target = "(" + (writes ? "" : "const ") + type + " *)(" + (writes ? "" : "const ") + "void *)(" + target + ")";
                String c = local.fresh(name);
                pointerNames.put(name, c);
                decls.append("    ").append(writes ? "" : "const ").append(type).append(" *").append(c).append(" = ").append(target)
                        .append(";").append(comment(b, root)).append('\n');
            }
            List<String> params = new ArrayList<>(), args = new ArrayList<>();
            for (int i : ins) {
                params.add("const " + KernelWriter.cType(p.inputs().get(i).type()) + " *" + inParams.get(i));
                args.add(inParams.get(i));
            }
            for (int i : outs) {
                params.add(KernelWriter.cType(p.outputs().get(i).type()) + " *" + outParams.get(i));
                args.add(outParams.get(i));
            }
            if (weighted) {
                params.add("const float *weights");
                args.add("weights");
            }
            if (arena) {
                params.add("float *arena");
                args.add("arena");
            }
            String title = "@" + k.name() + (k.inPlace().isEmpty() ? ""
                    : " (in place of " + String.join(", ", k.inPlace().stream().map(x -> "%" + x).toList()) + ")");
            out.append("/* ").append(CNames.comment(title)).append(" */\n");
            out.append("static void ").append(fn).append('(').append(params.isEmpty() ? "void" : String.join(", ", params)).append(") {\n");
            out.append(decls);
            KernelWriter w = new KernelWriter(out, types, pointerNames, local, helpers);
            w.body(k.body(), 1);
            usesLibm |= w.usesLibm();
            out.append("}\n\n");
            return new KernelCode(args);
        }

        private static String comment(Buffer b, Buffer root) {
            String where = switch (root.role()) {
                case Role.Input in -> "input " + in.index();
                case Role.Output o -> "output " + o.index();
                case Role.Weight w -> "weight at byte " + w.offset();
                case Role.Arena a -> "arena byte " + a.offset();
                case Role.Scratch s -> "scratch at arena byte " + s.offset();
                case Role.View v -> "";
            };
            String view = b == root ? "" : ", a view of %" + root.name();
            return " /* " + CNames.comment("%" + b.name() + ": " + b.type() + "[" + b.count() + "], " + where + view) + " */";
        }

        // ---------------- header ----------------

        private List<Port> ports(List<Port> given, List<Buffer> bs) {
            if (given.size() == bs.size()) return given;
            return bs.stream().map(b -> new Port(b.name(), b.type() + "[" + b.count() + "]")).toList();
        }

        private String signature(String name, boolean withArena) {
            List<String> ps = new ArrayList<>();
            for (int i = 0; i < inParams.size(); i++) ps.add("const " + KernelWriter.cType(p.inputs().get(i).type()) + " *" + inParams.get(i));
            for (int i = 0; i < outParams.size(); i++) ps.add(KernelWriter.cType(p.outputs().get(i).type()) + " *" + outParams.get(i));
            if (withArena) ps.add("void *arena");
            return "int " + name + "(" + (ps.isEmpty() ? "void" : String.join(", ", ps)) + ")";
        }

        String header() {
            String guard = CNames.sanitize(api.baseName()).toUpperCase(Locale.ROOT) + "_H";
            List<Port> ins = ports(api.inputs(), p.inputs()), outs = ports(api.outputs(), p.outputs());
            StringBuilder sb = new StringBuilder();
            sb.append("/* ").append(CNames.comment(api.origin())).append('\n');
            sb.append(" *\n");
            sb.append(" * A C99 export of the network: ").append(api.baseName()).append(".c and this header are all it needs (no heap,\n");
            sb.append(" * no other files; the weights are a const array in the .c, so they stay in flash on a microcontroller).\n");
            sb.append(" *\n");
            List<String> arrays = new ArrayList<>();
            for (int i = 0; i < inParams.size(); i++) arrays.add(inParams.get(i) + "[" + macro + "_IN" + i + "_COUNT]");
            for (int i = 0; i < outParams.size(); i++) arrays.add(outParams.get(i) + "[" + macro + "_OUT" + i + "_COUNT]");
            if (!arrays.isEmpty()) sb.append(" *     static float ").append(String.join(", ", arrays)).append(";\n");
            sb.append(" *     ... fill the inputs ...\n");
            sb.append(" *     if (").append(prefix).append("_forward(").append(String.join(", ", exampleArgs())).append(") != 0) { ... a NULL pointer ... }\n");
            sb.append(" *\n");
            sb.append(" * ").append(prefix).append("_forward keeps its activations in a static arena of ").append(macro)
                    .append("_ARENA_BYTES bytes (in .bss);\n");
            sb.append(" * it is not reentrant. ").append(prefix).append("_forward_arena takes the caller's arena instead: ").append(macro)
                    .append("_ARENA_BYTES bytes,\n");
            sb.append(" * aligned to 8 bytes or more (it may be shared with code that does not run at the same time).\n");
            sb.append(" * Arrays are row-major (NCHW) and must not overlap one another or the arena. Both return 0,\n");
            sb.append(" * or -1 (doing nothing) when a pointer is NULL.\n");
            sb.append(" *\n");
            sb.append(" * The arithmetic is tmlc's (strict IEEE float; the LLVM backend's exp and tanh are inlined as\n");
            sb.append(" * polynomials). It gives bit for bit what 'tmlc run --target host' gives when floating-point\n");
            sb.append(" * contraction is off (GCC's default with -std=c99, else -ffp-contract=off) and float math is done\n");
            sb.append(" * in float precision (FLT_EVAL_METHOD 0: any FPU or SSE; not the x87).\n");
            if (usesLibm) {
                sb.append(" * It calls sqrt/sqrtf from <math.h>: link with -lm where libm is separate, or define TML_SQRT\n");
                sb.append(" * and TML_SQRTF (function-like macros) when compiling ").append(api.baseName()).append(".c.\n");
            } else {
                sb.append(" * It calls no libm function.\n");
            }
            sb.append(" */\n");
            sb.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n");
            sb.append("#define ").append(macro).append("_INPUTS ").append(ins.size()).append('\n');
            sb.append("#define ").append(macro).append("_OUTPUTS ").append(outs.size()).append('\n');
            for (int i = 0; i < ins.size(); i++) {
                sb.append("/* ").append(CNames.comment("in" + i + ": " + ins.get(i).name() + " " + ins.get(i).type())).append(" */\n");
                sb.append("#define ").append(macro).append("_IN").append(i).append("_COUNT ").append(count(p.inputs().get(i).count())).append('\n');
            }
            for (int i = 0; i < outs.size(); i++) {
                sb.append("/* ").append(CNames.comment("out" + i + ": " + outs.get(i).name() + " " + outs.get(i).type())).append(" */\n");
                sb.append("#define ").append(macro).append("_OUT").append(i).append("_COUNT ").append(count(p.outputs().get(i).count())).append('\n');
            }
            sb.append("/* bytes of activations and scratch memory one forward pass needs */\n");
            sb.append("#define ").append(macro).append("_ARENA_BYTES ").append(count(p.arenaBytes())).append('\n');
            sb.append("/* bytes of the weights (read-only data in ").append(api.baseName()).append(".c) */\n");
            sb.append("#define ").append(macro).append("_WEIGHT_BYTES ").append(count(weightElements() * 4)).append("\n\n");
            sb.append("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
            sb.append("/* Runs the network on the inputs, writing the outputs, with the static arena. */\n");
            sb.append(signature(prefix + "_forward", false)).append(";\n\n");
            sb.append("/* Runs the network with the caller's arena of ").append(macro).append("_ARENA_BYTES bytes. */\n");
            sb.append(signature(prefix + "_forward_arena", true)).append(";\n\n");
            sb.append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
            return sb.toString();
        }

        private List<String> exampleArgs() {
            List<String> a = new ArrayList<>(inParams);
            a.addAll(outParams);
            return a;
        }

        private static String count(long n) { return n <= Integer.MAX_VALUE ? Long.toString(n) : n + "L"; }

        // ---------------- source ----------------

        String source(StringBuilder kernels, List<String> calls, boolean[] inputUsed, boolean[] outputUsed, boolean arenaUsed, boolean weightsUsed) {
            StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, 64 + weightElements() * 16 + kernels.length() * 2L));
            sb.append("/* ").append(CNames.comment(api.origin())).append("\n * Generated C99; the API is in ").append(api.baseName())
                    .append(".h. Loops, locals and arithmetic are those of the loop IR\n * ('tmlc ir FILE --level loop'). */\n");
            sb.append("#include \"").append(api.baseName()).append(".h\"\n\n");
            sb.append("#include <math.h>\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
            sb.append("#if defined(__clang__)\n#pragma STDC FP_CONTRACT OFF /* no fused multiply-adds: the bits of tmlc's own code */\n#endif\n");
            sb.append("#ifndef TML_SQRTF\n#define TML_SQRTF sqrtf\n#endif\n#ifndef TML_SQRT\n#define TML_SQRT sqrt\n#endif\n\n");
            sb.append(CHelpers.text(helpers));
            if (weightsUsed) weights(sb);
            sb.append(kernels);
            forwardArena(sb, calls, inputUsed, outputUsed, arenaUsed, weightsUsed);
            sb.append("/* The arena of ").append(prefix).append("_forward, aligned for any scalar the kernels use. */\n");
            sb.append("static union { float f[").append(Math.max(1, arenaElements())).append("]; double d; int64_t i; } ")
                    .append(prefix).append("_arena;\n\n");
            sb.append(signature(prefix + "_forward", false)).append(" {\n    return ").append(prefix).append("_forward_arena(");
            List<String> args = exampleArgs();
            args.add(prefix + "_arena.f");
            sb.append(String.join(", ", args)).append(");\n}\n");
            return sb.toString();
        }

        private void forwardArena(StringBuilder sb, List<String> calls, boolean[] inputUsed, boolean[] outputUsed, boolean arenaUsed,
                                  boolean weightsUsed) {
            sb.append(signature(prefix + "_forward_arena", true)).append(" {\n");
            List<String> checks = new ArrayList<>();
            for (String a : exampleArgs()) checks.add(a + " == NULL");
            if (p.arenaBytes() > 0) checks.add("arena == NULL");
            if (!checks.isEmpty()) sb.append("    if (").append(String.join(" || ", checks)).append(") return -1;\n");
            for (int i = 0; i < inputUsed.length; i++) if (!inputUsed[i]) sb.append("    (void)").append(inParams.get(i)).append("; /* not read */\n");
            for (int i = 0; i < outputUsed.length; i++) if (!outputUsed[i]) sb.append("    (void)").append(outParams.get(i)).append(";\n");
            if (weightsUsed) sb.append("    const float *w = ").append(prefix).append("_weights_at;\n");
            if (arenaUsed) {
                sb.append("    float *mem = (float *)arena;\n");
            } else {
                sb.append("    (void)arena;\n");
            }
            for (String c : calls) sb.append("    ").append(c).append('\n');
            sb.append("    return 0;\n}\n\n");
        }

        private void weights(StringBuilder sb) {
            long n = weightElements();
            if (n == 0) return;
            List<Buffer> ws = new ArrayList<>(p.ofRole(Role.Weight.class));
            ws.sort(Comparator.comparingLong(b -> ((Role.Weight) b.role()).offset()));
            sb.append("/* The weights: ").append(p.weightBytes()).append(" bytes, each parameter at its offset (as hexadecimal floats: exact). */\n");
            sb.append("static const float ").append(prefix).append("_weights[").append(n).append("] = {\n");
            int next = 0;
            int onLine = 0;
            for (int i = 0; i < n; i++) {
                while (next < ws.size() && ((Role.Weight) ws.get(next).role()).offset() / 4 <= i) {
                    Buffer b = ws.get(next++);
                    if (onLine > 0) sb.append('\n');
                    onLine = 0;
                    sb.append("    /* ").append(CNames.comment(b.name())).append(": f32[").append(b.count()).append("] at element ")
                            .append(((Role.Weight) b.role()).offset() / 4).append(" */\n");
                }
                sb.append(onLine == 0 ? "    " : " ");
                CLiterals.appendHexF32(sb, weights[i]);
                sb.append(',');
                if (++onLine == 8) {
                    sb.append('\n');
                    onLine = 0;
                }
            }
            if (onLine > 0) sb.append('\n');
            sb.append("};\n\n");
            sb.append("/* The kernels get the weights' address from this volatile constant, so that optimizers do not try to\n");
            sb.append(" * fold loads from the initializer above (GCC -O2 spent minutes doing that on a MobileNetV2). */\n");
            sb.append("static const float *const volatile ").append(prefix).append("_weights_at = ").append(prefix).append("_weights;\n\n");
        }
    }
}
