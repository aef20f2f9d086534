package tml.ir.loop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Stmt.*;

/**
 * Executes a loop program in Java, checking every access against its buffer's bounds. It is the
 * reference for the backends at the loop level and the test of lowering and memory planning: a
 * planned program runs in one arena of exactly {@link Program#arenaBytes()} bytes, an unplanned one
 * gives every arena and scratch buffer its own memory. f32 arithmetic is exact IEEE single
 * precision; {@code exp} and {@code tanh} are evaluated in double and rounded.
 *
 * <p>The program is compiled once to closures over a frame of scalar slots; {@link #run} may be
 * called repeatedly (not concurrently).
 */
public final class LoopInterpreter {
    /** An out-of-bounds access, a division by zero or a bad binding, naming the kernel. */
    public static final class ExecutionException extends RuntimeException {
        public ExecutionException(String message) { super(message); }
    }

    private interface I { long eval(double[] fs, long[] is); }
    private interface F { double eval(double[] fs, long[] is); }
    private interface B { boolean eval(double[] fs, long[] is); }
    private interface S { void exec(double[] fs, long[] is); }

    private final Program program;
    private final Map<String, Buffer> buffers = new HashMap<>();
    /** Storage of each buffer: its array and the element offset in it, bound per run. */
    private final Map<String, float[]> arrays = new HashMap<>();
    private final Map<String, Integer> bases = new HashMap<>();
    private final List<S> kernels = new ArrayList<>();
    private int longSlots, doubleSlots;
    private String currentKernel = "";

    public LoopInterpreter(Program program) {
        this.program = program;
        for (Buffer b : program.buffers()) {
            if (b.type() != ScalarType.F32) throw new ExecutionException("buffer %" + b.name() + ": the loop interpreter runs f32 buffers only");
            buffers.put(b.name(), b);
        }
        for (Kernel k : program.kernels()) {
            currentKernel = k.name();
            Map<String, Slot> scope = new HashMap<>();
            S body = block(k.body(), scope);
            String name = k.name();
            kernels.add((fs, is) -> {
                try {
                    body.exec(fs, is);
                } catch (ExecutionException e) {
                    throw new ExecutionException("kernel @" + name + ": " + e.getMessage());
                } catch (ArithmeticException e) {
                    throw new ExecutionException("kernel @" + name + ": " + e.getMessage());
                }
            });
        }
    }

    private record Slot(ScalarType type, int index) {}

    /**
     * Runs the program. {@code inputs} and {@code outputs} are indexed like the program's input and
     * output buffers and hold exactly their element counts; {@code weights} holds the weights blob.
     */
    public void run(float[][] inputs, float[] weights, float[][] outputs) {
        List<Buffer> ins = program.inputs(), outs = program.outputs();
        if (inputs.length != ins.size() || outputs.length != outs.size()) {
            throw new ExecutionException("program @" + program.name() + " takes " + ins.size() + " inputs and " + outs.size() + " outputs");
        }
        if ((long) weights.length * 4 < program.weightBytes()) {
            throw new ExecutionException("the weights blob has " + weights.length * 4L + " bytes, the program needs " + program.weightBytes());
        }
        boolean planned = program.buffers().stream().noneMatch(b -> offsetOf(b.role()) == Role.UNPLANNED);
        float[] arena = new float[Math.toIntExact(program.arenaBytes() / 4)];
        arrays.clear();
        bases.clear();
        for (Buffer b : program.buffers()) {
            switch (b.role()) {
                case Role.Input in -> bind(b, inputs[in.index()], 0, true);
                case Role.Output out -> bind(b, outputs[out.index()], 0, true);
                case Role.Weight w -> bind(b, weights, w.offset() / 4, false);
                case Role.Arena a -> bindArena(b, arena, a.offset(), planned);
                case Role.Scratch s -> bindArena(b, arena, s.offset(), planned);
                case Role.View v -> { }
            }
        }
        for (Buffer b : program.buffers()) {
            if (b.role() instanceof Role.View) {
                Buffer root = program.root(b);
                arrays.put(b.name(), arrays.get(root.name()));
                bases.put(b.name(), bases.get(root.name()));
            }
        }
        double[] fs = new double[doubleSlots];
        long[] is = new long[longSlots];
        for (S k : kernels) k.exec(fs, is);
    }

    private static long offsetOf(Role r) {
        return switch (r) {
            case Role.Arena a -> a.offset();
            case Role.Scratch s -> s.offset();
            case Role.Weight w -> w.offset();
            default -> 0;
        };
    }

    private void bind(Buffer b, float[] array, long base, boolean exact) {
        if (exact && array.length != b.count()) {
            throw new ExecutionException("buffer %" + b.name() + " needs " + b.count() + " elements, got " + array.length);
        }
        if (base + b.count() > array.length) {
            throw new ExecutionException("buffer %" + b.name() + " extends past the end of its memory");
        }
        arrays.put(b.name(), array);
        bases.put(b.name(), Math.toIntExact(base));
    }

    private void bindArena(Buffer b, float[] arena, long offset, boolean planned) {
        if (planned) bind(b, arena, offset / 4, false);
        else bind(b, new float[Math.toIntExact(b.count())], 0, false);
    }

    // ---------------- compilation to closures ----------------

    private S block(Block b, Map<String, Slot> scope) {
        Map<String, Slot> inner = new HashMap<>(scope);
        List<S> list = new ArrayList<>();
        for (Stmt s : b.stmts()) list.add(stmt(s, inner));
        S[] arr = list.toArray(new S[0]);
        if (arr.length == 1) return arr[0];
        return (fs, is) -> {
            for (S s : arr) s.exec(fs, is);
        };
    }

    private Slot newSlot(String name, ScalarType t, Map<String, Slot> scope) {
        Slot slot = t.isFloat() ? new Slot(t, doubleSlots++) : new Slot(t, longSlots++);
        scope.put(name, slot);
        return slot;
    }

    private S stmt(Stmt s, Map<String, Slot> scope) {
        switch (s) {
            case For f -> {
                I lo = ints(f.lo(), scope), hi = ints(f.hi(), scope);
                Map<String, Slot> inner = new HashMap<>(scope);
                int slot = newSlot(f.var(), ScalarType.INDEX, inner).index();
                S body = block(f.body(), inner);
                return (fs, is) -> {
                    long h = hi.eval(fs, is);
                    for (long v = lo.eval(fs, is); v < h; v++) {
                        is[slot] = v;
                        body.exec(fs, is);
                    }
                };
            }
            case Store st -> {
                Buffer b = buffer(st.buffer());
                I index = ints(st.index(), scope);
                F value = floats(st.value(), scope);
                String name = b.name();
                long count = b.count();
                return (fs, is) -> {
                    long i = index.eval(fs, is);
                    if (i < 0 || i >= count) throw new ExecutionException("store to %" + name + "[" + i + "] is outside its " + count + " elements");
                    arrays.get(name)[bases.get(name) + (int) i] = (float) value.eval(fs, is);
                };
            }
            case Block b -> { return block(b, scope); }
            case If i -> {
                B cond = bools(i.cond(), scope);
                S then = block(i.then(), scope);
                S otherwise = i.otherwise().isPresent() ? block(i.otherwise().get(), scope) : null;
                return (fs, is) -> {
                    if (cond.eval(fs, is)) then.exec(fs, is);
                    else if (otherwise != null) otherwise.exec(fs, is);
                };
            }
            case Local l -> {
                Slot slot = new Slot(l.type(), l.type().isFloat() ? doubleSlots++ : longSlots++);
                S init = assign(l.type(), l.init(), scope, slot); // the initialiser sees the outer scope
                scope.put(l.name(), slot);
                return init;
            }
            case Assign a -> {
                Slot slot = scope.get(a.name());
                if (slot == null) throw new ExecutionException("kernel @" + currentKernel + ": assigns undeclared $" + a.name());
                return assign(slot.type(), a.value(), scope, slot);
            }
        }
    }

    private S assign(ScalarType t, Expr value, Map<String, Slot> scope, Slot slot) {
        S result;
        int idx = slot.index();
        if (t.isFloat()) {
            F v = floats(value, scope);
            result = (fs, is) -> fs[idx] = v.eval(fs, is);
        } else if (t == ScalarType.BOOL) {
            B v = bools(value, scope);
            result = (fs, is) -> is[idx] = v.eval(fs, is) ? 1 : 0;
        } else {
            I v = ints(value, scope);
            result = (fs, is) -> is[idx] = v.eval(fs, is);
        }
        return result;
    }

    private Buffer buffer(String name) {
        Buffer b = buffers.get(name);
        if (b == null) throw new ExecutionException("kernel @" + currentKernel + ": undeclared buffer %" + name);
        return b;
    }

    private ScalarType typeOf(Expr e, Map<String, Slot> scope) {
        return switch (e) {
            case IntConst c -> ScalarType.INDEX;
            case FloatConst f -> f.type();
            case Var v -> {
                Slot s = scope.get(v.name());
                if (s == null) throw new ExecutionException("kernel @" + currentKernel + ": undeclared $" + v.name());
                yield s.type();
            }
            case Load l -> buffer(l.buffer()).type();
            case Binary b -> b.op().isComparison() || b.op().isLogical() ? ScalarType.BOOL : typeOf(b.a(), scope);
            case Select s -> typeOf(s.a(), scope);
            case Cast c -> c.type();
            case Call c -> typeOf(c.arg(), scope);
        };
    }

    private I ints(Expr e, Map<String, Slot> scope) {
        switch (e) {
            case IntConst c -> {
                long v = c.value();
                return (fs, is) -> v;
            }
            case Var v -> {
                Slot s = scope.get(v.name());
                if (s == null) throw new ExecutionException("kernel @" + currentKernel + ": undeclared $" + v.name());
                int idx = s.index();
                return (fs, is) -> is[idx];
            }
            case Binary b when !b.op().isComparison() && !b.op().isLogical() -> {
                I x = ints(b.a(), scope), y = ints(b.b(), scope);
                return switch (b.op()) {
                    case ADD -> (fs, is) -> x.eval(fs, is) + y.eval(fs, is);
                    case SUB -> (fs, is) -> x.eval(fs, is) - y.eval(fs, is);
                    case MUL -> (fs, is) -> x.eval(fs, is) * y.eval(fs, is);
                    case DIV -> (fs, is) -> Math.floorDiv(x.eval(fs, is), y.eval(fs, is));
                    case REM -> (fs, is) -> Math.floorMod(x.eval(fs, is), y.eval(fs, is));
                    case MIN -> (fs, is) -> Math.min(x.eval(fs, is), y.eval(fs, is));
                    case MAX -> (fs, is) -> Math.max(x.eval(fs, is), y.eval(fs, is));
                    default -> throw new IllegalStateException();
                };
            }
            case Select s -> {
                B c = bools(s.cond(), scope);
                I x = ints(s.a(), scope), y = ints(s.b(), scope);
                return (fs, is) -> {
                    long a = x.eval(fs, is), bb = y.eval(fs, is);
                    return c.eval(fs, is) ? a : bb;
                };
            }
            case Cast c -> {
                ScalarType from = typeOf(c.value(), scope);
                if (from.isFloat()) {
                    F x = floats(c.value(), scope);
                    return (fs, is) -> (long) x.eval(fs, is);
                }
                if (from == ScalarType.BOOL) {
                    B x = bools(c.value(), scope);
                    return (fs, is) -> x.eval(fs, is) ? 1 : 0;
                }
                return ints(c.value(), scope);
            }
            default -> throw new ExecutionException("kernel @" + currentKernel + ": " + LoopPrinter.print(e) + " is not an index expression");
        }
    }

    private static double round(ScalarType t, double v) { return t == ScalarType.F32 ? (double) (float) v : v; }

    private F floats(Expr e, Map<String, Slot> scope) {
        ScalarType t = typeOf(e, scope);
        switch (e) {
            case FloatConst c -> {
                double v = c.value();
                return (fs, is) -> v;
            }
            case Var v -> {
                int idx = scope.get(v.name()).index();
                return (fs, is) -> fs[idx];
            }
            case Load l -> {
                Buffer b = buffer(l.buffer());
                I index = ints(l.index(), scope);
                String name = b.name();
                long count = b.count();
                return (fs, is) -> {
                    long i = index.eval(fs, is);
                    if (i < 0 || i >= count) throw new ExecutionException("load of %" + name + "[" + i + "] is outside its " + count + " elements");
                    return arrays.get(name)[bases.get(name) + (int) i];
                };
            }
            case Binary b when !b.op().isComparison() && !b.op().isLogical() -> {
                F x = floats(b.a(), scope), y = floats(b.b(), scope);
                boolean f32 = t == ScalarType.F32;
                return switch (b.op()) {
                    case ADD -> f32 ? (fs, is) -> (float) (x.eval(fs, is) + y.eval(fs, is)) : (fs, is) -> x.eval(fs, is) + y.eval(fs, is);
                    case SUB -> f32 ? (fs, is) -> (float) (x.eval(fs, is) - y.eval(fs, is)) : (fs, is) -> x.eval(fs, is) - y.eval(fs, is);
                    case MUL -> f32 ? (fs, is) -> (float) (x.eval(fs, is) * y.eval(fs, is)) : (fs, is) -> x.eval(fs, is) * y.eval(fs, is);
                    case DIV -> f32 ? (fs, is) -> (float) (x.eval(fs, is) / y.eval(fs, is)) : (fs, is) -> x.eval(fs, is) / y.eval(fs, is);
                    case MIN -> (fs, is) -> {
                        double a = x.eval(fs, is), bb = y.eval(fs, is);
                        return bb < a ? bb : a;
                    };
                    case MAX -> (fs, is) -> {
                        double a = x.eval(fs, is), bb = y.eval(fs, is);
                        return bb > a ? bb : a;
                    };
                    default -> throw new ExecutionException("kernel @" + currentKernel + ": '" + b.op().symbol + "' on floats");
                };
            }
            case Select s -> {
                B c = bools(s.cond(), scope);
                F x = floats(s.a(), scope), y = floats(s.b(), scope);
                return (fs, is) -> {
                    double a = x.eval(fs, is), bb = y.eval(fs, is);
                    return c.eval(fs, is) ? a : bb;
                };
            }
            case Cast c -> {
                ScalarType from = typeOf(c.value(), scope);
                if (from.isFloat()) {
                    F x = floats(c.value(), scope);
                    return (fs, is) -> round(t, x.eval(fs, is));
                }
                if (from == ScalarType.BOOL) {
                    B x = bools(c.value(), scope);
                    return (fs, is) -> x.eval(fs, is) ? 1.0 : 0.0;
                }
                I x = ints(c.value(), scope);
                return t == ScalarType.F32 ? (fs, is) -> (float) x.eval(fs, is) : (fs, is) -> (double) x.eval(fs, is);
            }
            case Call c -> {
                F x = floats(c.arg(), scope);
                return switch (c.fn()) {
                    case EXP -> (fs, is) -> round(t, Math.exp(x.eval(fs, is)));
                    case TANH -> (fs, is) -> round(t, Math.tanh(x.eval(fs, is)));
                    case SQRT -> (fs, is) -> round(t, Math.sqrt(x.eval(fs, is)));
                };
            }
            default -> throw new ExecutionException("kernel @" + currentKernel + ": " + LoopPrinter.print(e) + " is not a float expression");
        }
    }

    private B bools(Expr e, Map<String, Slot> scope) {
        switch (e) {
            case Binary b when b.op().isLogical() -> {
                B x = bools(b.a(), scope), y = bools(b.b(), scope);
                return b.op() == BinOp.AND ? (fs, is) -> x.eval(fs, is) & y.eval(fs, is) : (fs, is) -> x.eval(fs, is) | y.eval(fs, is);
            }
            case Binary b when b.op().isComparison() -> {
                ScalarType t = typeOf(b.a(), scope);
                if (t == ScalarType.INDEX) {
                    I x = ints(b.a(), scope), y = ints(b.b(), scope);
                    return switch (b.op()) {
                        case LT -> (fs, is) -> x.eval(fs, is) < y.eval(fs, is);
                        case LE -> (fs, is) -> x.eval(fs, is) <= y.eval(fs, is);
                        case GT -> (fs, is) -> x.eval(fs, is) > y.eval(fs, is);
                        case GE -> (fs, is) -> x.eval(fs, is) >= y.eval(fs, is);
                        case EQ -> (fs, is) -> x.eval(fs, is) == y.eval(fs, is);
                        default -> (fs, is) -> x.eval(fs, is) != y.eval(fs, is);
                    };
                }
                F x = floats(b.a(), scope), y = floats(b.b(), scope);
                return switch (b.op()) {
                    case LT -> (fs, is) -> x.eval(fs, is) < y.eval(fs, is);
                    case LE -> (fs, is) -> x.eval(fs, is) <= y.eval(fs, is);
                    case GT -> (fs, is) -> x.eval(fs, is) > y.eval(fs, is);
                    case GE -> (fs, is) -> x.eval(fs, is) >= y.eval(fs, is);
                    case EQ -> (fs, is) -> x.eval(fs, is) == y.eval(fs, is);
                    default -> (fs, is) -> x.eval(fs, is) != y.eval(fs, is);
                };
            }
            case Var v -> {
                int idx = scope.get(v.name()).index();
                return (fs, is) -> is[idx] != 0;
            }
            case Select s -> {
                B c = bools(s.cond(), scope), x = bools(s.a(), scope), y = bools(s.b(), scope);
                return (fs, is) -> {
                    boolean a = x.eval(fs, is), bb = y.eval(fs, is);
                    return c.eval(fs, is) ? a : bb;
                };
            }
            default -> throw new ExecutionException("kernel @" + currentKernel + ": " + LoopPrinter.print(e) + " is not a bool expression");
        }
    }
}
