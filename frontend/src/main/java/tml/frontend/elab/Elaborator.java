package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import java.util.*;
import tml.frontend.ast.*;
import tml.frontend.ast.Expr.*;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.SourceFile;
import tml.frontend.diag.Span;
import tml.frontend.elab.Value.*;
import tml.frontend.parse.TmlParser;
import tml.ir.graph.*;

/**
 * Evaluates TML at compile time. Networks become graphs: every layer call is checked by the IR's
 * shape rules and becomes a node; errors are reported at the expression that caused them, and
 * evaluation continues with the next statement so that one run reports several errors.
 */
public final class Elaborator {
    static final long MAX_STEPS = 50_000_000;
    static final int MAX_CALL_DEPTH = 200;

    private final Diagnostics diags;
    private long steps;
    /** Statements that failed; unlike the error count it also grows when a repeated error is dropped as a duplicate. */
    private long failures;
    private int depth;

    public Elaborator(Diagnostics diags) { this.diags = diags; }

    /** Where layers go while evaluating: the graph, the naming scope and, inside a seq, the stage tensor. */
    private record Ctx(Env env, GraphBuilder graph, LayerScope scope, SeqState seq, Kind kind, CircuitState circuit) {
        Ctx(Env env, GraphBuilder graph, LayerScope scope, SeqState seq, Kind kind) { this(env, graph, scope, seq, kind, null); }
        Ctx withEnv(Env e) { return new Ctx(e, graph, scope, seq, kind, circuit); }
        Ctx withSeq(SeqState s) { return new Ctx(env, graph, scope, s, kind, circuit); }
    }

    private enum Kind { NETWORK, BLOCK, FN, CONST, CIRCUIT }

    private static final class SeqState {
        Value current;
        SeqState(Value current) { this.current = current; }
    }

    // ======================= entry points =======================

    /**
     * Elaborates a network with parameter values given as TML expressions (from the command line).
     * Returns the graph when it elaborated without errors.
     */
    public Optional<Graph> elaborate(ModuleEnv module, Decl.Network net, Map<String, String> overrides) {
        int errorsBefore = diags.errorCount();
        long failuresBefore = failures;
        steps = 0;
        depth = 0;
        Set<String> known = new HashSet<>();
        for (ParamDecl p : net.params()) known.add(p.name());
        for (String name : overrides.keySet()) {
            if (!known.contains(name)) {
                String hint = Suggest.closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                diags.add(Diagnostic.error(net.nameSpan(), "network '" + net.name() + "' has no parameter '" + name + "'" + hint
                        + " (given with --param)"));
            }
        }
        GraphBuilder graph = new GraphBuilder(net.name());
        Env env = new Env(module);
        Ctx ctx = new Ctx(env, graph, new LayerScope("", false), null, Kind.NETWORK);
        try {
            for (ParamDecl p : net.params()) {
                Value v;
                if (overrides.containsKey(p.name())) {
                    v = commandLineValue(module, p, overrides.get(p.name()));
                } else if (p.defaultValue().isPresent()) {
                    v = eval(p.defaultValue().get(), ctx);
                } else {
                    diags.error(net.nameSpan(), "network '" + net.name() + "' needs a value for parameter '" + p.name()
                            + "' (pass --param " + p.name() + "=VALUE)");
                    return Optional.empty();
                }
                boolean given = overrides.containsKey(p.name()) && p.type().isPresent();
                env.define(p.name(), given ? checkType(v, p.type().get(), p.span(), ctx, "parameter '" + p.name() + "' (set with --param)")
                        : coerceParam(p, v, p.defaultValue().map(Expr::span).orElse(p.span()), ctx));
            }
        } catch (EvalError e) {
            diags.add(e.diagnostic);
            return Optional.empty();
        } catch (Silent s) {
            return Optional.empty();
        }
        runStatements(net.body().stmts(), ctx);
        if (!graph.hasOutputs() && diags.errorCount() == errorsBefore && failures == failuresBefore) {
            diags.error(net.nameSpan(), "network '" + net.name() + "' has no output (add 'output NAME = ...')");
        }
        if (diags.errorCount() != errorsBefore || failures != failuresBefore) return Optional.empty();
        return Optional.of(graph.build());
    }

    /**
     * Elaborates a circuit into the quantum IR, with its compile-time parameters given as TML
     * expressions. Returns the circuit when it elaborated without errors.
     */
    public Optional<tml.ir.quantum.Circuit> elaborateCircuit(ModuleEnv module, Decl.Circuit decl, Map<String, String> overrides) {
        int errorsBefore = diags.errorCount();
        steps = 0;
        depth = 0;
        Set<String> known = new HashSet<>();
        for (ParamDecl p : decl.params()) known.add(p.name());
        for (String name : overrides.keySet()) {
            if (!known.contains(name)) {
                String hint = Suggest.closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                diags.add(Diagnostic.error(decl.nameSpan(), "circuit '" + decl.name() + "' has no parameter '" + name + "'" + hint + " (given with --param)"));
            }
        }
        CircuitState state = new CircuitState(decl.name());
        Env env = new Env(module);
        Ctx ctx = new Ctx(env, null, new LayerScope("", false), null, Kind.CIRCUIT, state);
        try {
            for (ParamDecl p : decl.params()) {
                Value v;
                if (overrides.containsKey(p.name())) v = commandLineValue(module, p, overrides.get(p.name()));
                else if (p.defaultValue().isPresent()) v = eval(p.defaultValue().get(), ctx);
                else {
                    diags.error(decl.nameSpan(), "circuit '" + decl.name() + "' needs a value for parameter '" + p.name() + "' (pass --param " + p.name() + "=VALUE)");
                    return Optional.empty();
                }
                env.define(p.name(), coerceParam(p, v, p.defaultValue().map(Expr::span).orElse(p.span()), ctx));
            }
        } catch (EvalError e) {
            diags.add(e.diagnostic);
            return Optional.empty();
        } catch (Silent s) {
            return Optional.empty();
        }
        return finishCircuit(decl, ctx, state, errorsBefore, failures);
    }

    /** Runs a circuit's body in {@code ctx} (its parameters bound) and builds and verifies the circuit. */
    private Optional<tml.ir.quantum.Circuit> finishCircuit(Decl.Circuit decl, Ctx ctx, CircuitState state, int errorsBefore, long failuresBefore) {
        runStatements(decl.body().stmts(), ctx);
        if (state.qubits == 0 && diags.errorCount() == errorsBefore && failures == failuresBefore) {
            diags.error(decl.nameSpan(), "circuit '" + decl.name() + "' declares no qubits (add 'qubits q[N]')");
        }
        if (diags.errorCount() != errorsBefore || failures != failuresBefore) return Optional.empty();
        tml.ir.quantum.Circuit c = state.build();
        List<String> problems = tml.ir.quantum.CircuitVerifier.verify(c);
        if (!problems.isEmpty()) {
            diags.error(decl.nameSpan(), "the circuit is not valid: " + String.join("; ", problems));
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** Evaluates module-level lets and target properties, reporting their errors. */
    public void checkDecls(ModuleEnv module) {
        for (Decl d : module.file().decls()) {
            steps = 0;
            depth = 0;
            try {
                switch (d) {
                    case Decl.Const c -> constValue(module, c);
                    case Decl.Policy p when p.kind().equals("target") -> TargetCheck.check(p, this, module, diags);
                    case Decl.Policy p when p.kind().equals("device") -> DeviceCheck.device(p, this, module, diags);
                    default -> { }
                }
            } catch (EvalError e) {
                diags.add(e.diagnostic);
            } catch (Silent s) {
                // already reported
            }
        }
    }

    /** Evaluates one expression in a module's scope (target properties, command-line values). */
    Value evalInModule(ModuleEnv module, Expr e) {
        return eval(e, new Ctx(new Env(module), null, new LayerScope("", false), null, Kind.CONST));
    }

    private Value commandLineValue(ModuleEnv module, ParamDecl p, String text) {
        Diagnostics local = new Diagnostics();
        SourceFile src = new SourceFile("--param " + p.name(), text);
        Optional<Expr> e = TmlParser.parseExpression(src, local);
        if (e.isEmpty() || local.hasErrors()) {
            // a bare word is taken as a string, so --param act=relu works
            if (text.matches("[A-Za-z_][A-Za-z0-9_]*") && !text.equals("true") && !text.equals("false")) return new StrV(text);
            local.all().forEach(diags::add);
            throw Silent.INSTANCE;
        }
        if (e.get() instanceof Name n && module.decls().get(n.name()) == null && !Builtins.ALL.containsKey(n.name())) return new StrV(text);
        Value v = evalInModule(module, e.get());
        // --param act=relu for a str parameter means "relu", though relu also names the built-in layer
        boolean wantsStr = p.type().isPresent() && p.type().get() instanceof TypeExpr.Named t && t.name().equals("str");
        if (wantsStr && e.get() instanceof Name && !(v instanceof StrV)) return new StrV(text);
        return v;
    }

    // ======================= statements =======================

    /** Call sites of the blocks and fns being evaluated, innermost last: errors inside them get a note. */
    private final Deque<Span> callSites = new ArrayDeque<>();

    private Diagnostic withCaller(Diagnostic d) {
        Span caller = callSites.peekLast();
        if (caller == null || !d.notes().isEmpty()) return d;
        return d.withNote(caller, "in the call from here");
    }

    private void runStatements(List<Stmt> stmts, Ctx ctx) {
        for (Stmt s : stmts) {
            try {
                exec(s, ctx);
            } catch (EvalError e) {
                failures++;
                diags.add(withCaller(e.diagnostic));
                poisonBindings(s, ctx);
                // a failed assert guards what follows it: the rest of this body is not run
                if (s instanceof Stmt.Assert) return;
            } catch (Silent e) {
                failures++;
                poisonBindings(s, ctx);
                if (s instanceof Stmt.Assert) return;
            }
        }
    }

    private void poisonBindings(Stmt s, Ctx ctx) {
        if (s instanceof Stmt.Let l) bind(l.pattern(), POISON_VALUE, ctx.env(), false);
        if (s instanceof Stmt.Input in) ctx.env().define(in.name(), POISON_VALUE);
        if (ctx.seq() != null && s instanceof Stmt.ExprStmt) ctx.seq().current = POISON_VALUE;
    }

    private static final Value POISON_VALUE = Value.POISON;

    private void exec(Stmt s, Ctx ctx) {
        step(s.span());
        switch (s) {
            case Stmt.Let l -> {
                Value v = eval(l.value(), ctx);
                if (l.type().isPresent()) v = checkType(v, l.type().get(), l.value().span(), ctx, "the value of this let");
                bind(l.pattern(), v, ctx.env(), true);
            }
            case Stmt.Input in when ctx.kind() == Kind.CIRCUIT -> {
                CircuitState c = ctx.circuit();
                if (c.hasInput) throw new EvalError(in.span(), "a circuit has at most one input array (its features are x[0], x[1], ...)");
                TensorType t = tensorType(in.type(), ctx);
                if (t.rank() != 1) throw new EvalError(in.type().span(), "a circuit's input is a vector of features, such as f32[16]; got " + t);
                c.hasInput = true;
                c.inputs = t.dim(0);
                ctx.env().define(in.name(), new SymbolArrayV(in.name(), t.shape(), ImmutableList.of(), true, 0));
            }
            case Stmt.Input in -> {
                if (ctx.kind() != Kind.NETWORK || ctx.graph() == null) throw new EvalError(in.span(), "'input' is only allowed in a network or circuit");
                TensorType t = tensorType(in.type(), ctx);
                ctx.env().define(in.name(), ctx.graph().input(in.name(), t, in.nameSpan()));
            }
            case Stmt.Output out -> {
                if (ctx.kind() != Kind.NETWORK || ctx.graph() == null) throw new EvalError(out.span(), "'output' is only allowed in a network");
                Value v = eval(out.value(), ctx);
                if (!(v instanceof TensorV t)) throw new EvalError(out.value().span(), "an output must be a tensor, got " + Value.typeName(v));
                ctx.graph().output(out.name(), t, out.nameSpan());
            }
            case Stmt.Param p when ctx.circuit() != null -> circuitParam(p, ctx);
            case Stmt.Param p -> {
                if (ctx.graph() == null) throw new EvalError(p.span(), "'param' is only allowed in a network, block or circuit");
                if (!(p.type() instanceof TypeExpr.Tensor tt)) throw new EvalError(p.type().span(), "a param needs a tensor type such as f32[64, 32]");
                TensorType t = tensorType(tt, ctx);
                ParamInit init = new ParamInit.Uniform(1 / Math.sqrt(Math.max(1, t.numel() / Math.max(1, t.rank() == 0 ? 1 : t.dim(0)))));
                if (p.init().isPresent()) {
                    Value v = eval(p.init().get(), ctx);
                    if (!(v instanceof IntV || v instanceof FloatV)) {
                        throw new EvalError(p.init().get().span(), "a param's initial value must be a number (every element gets it), got " + Value.typeName(v));
                    }
                    init = new ParamInit.Constant(Builtins.num(v));
                }
                ctx.env().define(p.name(), ctx.graph().param(ctx.scope().qualify(p.name()), t, init, false, p.nameSpan()));
            }
            case Stmt.Qubits q -> {
                if (ctx.circuit() == null || ctx.kind() != Kind.CIRCUIT) throw new EvalError(q.span(), "'qubits' is only allowed in a circuit");
                Value n = eval(q.size(), ctx);
                if (!(n instanceof IntV size) || size.v() <= 0) {
                    throw new EvalError(q.size().span(), "a qubit register needs a positive int size, got " + Value.show(n));
                }
                CircuitState c = ctx.circuit();
                if (c.qubits + size.v() > CircuitState.MAX_QUBITS) {
                    throw new EvalError(q.size().span(), "a circuit may have at most " + CircuitState.MAX_QUBITS + " qubits");
                }
                ctx.env().define(q.name(), new QRegV(q.name(), c.qubits, (int) size.v()));
                c.qubits += (int) size.v();
            }
            case Stmt.Bits b -> {
                if (ctx.circuit() == null || ctx.kind() != Kind.CIRCUIT) throw new EvalError(b.span(), "'bits' is only allowed in a circuit");
                Value n = eval(b.size(), ctx);
                if (!(n instanceof IntV size) || size.v() <= 0 || size.v() > 64) {
                    throw new EvalError(b.size().span(), "a classical register needs a size from 1 to 64, got " + Value.show(n));
                }
                CircuitState c = ctx.circuit();
                if (!c.declaredBits) c.clbits = 0;
                c.declaredBits = true;
                ctx.env().define(b.name(), new CRegV(b.name(), c.clbits, (int) size.v()));
                c.clbits += (int) size.v();
            }
            case Stmt.For f -> {
                Value it = eval(f.iterable(), ctx);
                ImmutableList<Value> items = switch (it) {
                    case ListV l -> l.items();
                    case TupleV t -> t.items();
                    default -> throw new EvalError(f.iterable().span(), "a for loop needs a list, tuple or range, got " + Value.typeName(it));
                };
                for (Value item : items) {
                    Ctx inner = ctx.withEnv(ctx.env().child());
                    bind(f.pattern(), item, inner.env(), true);
                    runStatements(f.body().stmts(), inner);
                }
            }
            case Stmt.Return r -> {
                if (ctx.kind() == Kind.NETWORK) throw new EvalError(r.span(), "'return' is not allowed in a network; use 'output NAME = ...'");
                throw new ReturnSignal(eval(r.value(), ctx));
            }
            case Stmt.Assert a -> {
                Value c = eval(a.cond(), ctx);
                if (!(c instanceof BoolV b)) throw new EvalError(a.cond().span(), "an assert condition must be a bool, got " + Value.typeName(c));
                if (!b.v()) {
                    String msg = a.message().map(m -> eval(m, ctx)).map(v -> v instanceof StrV sv ? sv.v() : Value.show(v)).orElse("assertion failed");
                    throw new EvalError(a.span(), msg);
                }
            }
            case Stmt.Property p -> throw new EvalError(p.keySpan(),
                    "'" + p.key() + " = ...' sets a property, which only target and policy declarations have; use 'let " + p.key() + " = ...'");
            case Stmt.Section sec -> throw new EvalError(sec.keySpan(), "a section '" + sec.key() + " { ... }' is only allowed in policy declarations");
            case Stmt.ExprStmt e -> {
                if (ctx.seq() != null) {
                    stage(e.expr(), ctx);
                } else if (e.expr() instanceof If iff) {
                    runIfStatement(iff, ctx);
                } else {
                    Value v = eval(e.expr(), ctx);
                    if (v instanceof TensorV && ctx.kind() != Kind.CONST) {
                        diags.warning(e.span(), "the result of this expression is unused");
                    }
                }
            }
        }
    }

    /** {@code param theta: f32[l, n]} (or {@code : float}) in a circuit: trainable angles theta_i_j. */
    private void circuitParam(Stmt.Param p, Ctx ctx) {
        CircuitState c = ctx.circuit();
        ImmutableList<Integer> shape;
        if (p.type() instanceof TypeExpr.Tensor tt) {
            shape = tensorType(tt, ctx).shape();
        } else if (p.type() instanceof TypeExpr.Named n && n.name().equals("float") && n.args().isEmpty()) {
            shape = ImmutableList.of();
        } else {
            throw new EvalError(p.type().span(), "a circuit parameter is a float or an array of them, such as f32[2, 4]");
        }
        if (p.init().isPresent()) throw new EvalError(p.init().get().span(), "circuit parameters are trained or loaded with --weights; they take no initial value here");
        long count = 1;
        for (int d : shape) count *= d;
        if (c.params.size() + count > 1_000_000) throw new EvalError(p.span(), "too many circuit parameters");
        List<String> names = new ArrayList<>();
        enumerateNames(p.name(), shape, 0, new ArrayList<>(), names);
        for (String n : names) {
            if (c.params.contains(n)) throw new EvalError(p.nameSpan(), "circuit parameter '" + n + "' is declared twice");
        }
        c.params.addAll(names);
        ctx.env().define(p.name(), shape.isEmpty() ? new AngleV(tml.ir.quantum.Angle.param(p.name()))
                : new SymbolArrayV(p.name(), shape, ImmutableList.of(), false, 0));
    }

    private static void enumerateNames(String base, List<Integer> shape, int axis, List<Integer> index, List<String> out) {
        if (axis == shape.size()) {
            StringBuilder sb = new StringBuilder(base);
            for (int i : index) sb.append('_').append(i);
            out.add(sb.toString());
            return;
        }
        for (int i = 0; i < shape.get(axis); i++) {
            index.add(i);
            enumerateNames(base, shape, axis + 1, index, out);
            index.remove(index.size() - 1);
        }
    }

    private void runIfStatement(If iff, Ctx ctx) {
        if (ctx.circuit() != null) {
            Value cv = eval(iff.cond(), ctx);
            if (cv instanceof CondV cond) {
                // a run-time condition on measured bits: every op of the body is guarded by it
                if (iff.otherwise().isPresent() || iff.elseIf().isPresent()) {
                    throw new EvalError(iff.cond().span(), "a run-time condition on classical bits cannot have an else branch");
                }
                if (ctx.circuit().condition != null) throw new EvalError(iff.cond().span(), "run-time conditions cannot be nested");
                ctx.circuit().condition = cond;
                try {
                    runStatements(iff.then().stmts(), ctx.withEnv(ctx.env().child()));
                } finally {
                    ctx.circuit().condition = null;
                }
                return;
            }
        }
        boolean c = condition(iff.cond(), ctx);
        if (c) {
            runStatements(iff.then().stmts(), ctx.withEnv(ctx.env().child()));
        } else if (iff.elseIf().isPresent()) {
            runIfStatement(iff.elseIf().get(), ctx);
        } else if (iff.otherwise().isPresent()) {
            runStatements(iff.otherwise().get().stmts(), ctx.withEnv(ctx.env().child()));
        }
    }

    private boolean condition(Expr cond, Ctx ctx) {
        Value v = eval(cond, ctx);
        if (v instanceof BoolV b) return b.v();
        throw new EvalError(cond.span(), "a condition must be a bool, got " + Value.typeName(v) + " " + Value.show(v));
    }

    /** One stage of a seq: applies the stage expression to the seq's current tensor. */
    private void stage(Expr e, Ctx ctx) {
        SeqState seq = ctx.seq();
        if (seq.current instanceof Poison) throw Silent.INSTANCE;
        if (e instanceof If iff) {
            runIfStatement(iff, ctx);
            return;
        }
        Value out = applyStage(seq.current, e, Optional.empty(), ctx, true);
        if (!(out instanceof TensorV)) {
            throw new EvalError(e.span(), "a seq stage must produce a tensor, but this gives " + Value.typeName(out));
        }
        seq.current = out;
    }

    /** Calls {@code stage} with {@code input} as its first argument: the meaning of {@code input |> stage}. */
    private Value applyStage(Value input, Expr stage, Optional<Labeled> label, Ctx ctx, boolean isStage) {
        return switch (stage) {
            case Labeled l -> {
                if (label.isPresent()) throw new EvalError(l.labelSpan(), "a layer can have only one label");
                yield applyStage(input, l.expr(), Optional.of(l), ctx, isStage);
            }
            case Call c -> {
                Value callee = eval(c.callee(), ctx);
                List<ArgVal> args = new ArrayList<>();
                args.add(new ArgVal(Optional.empty(), input, stage.span()));
                args.addAll(evalArgs(c.args(), ctx));
                yield call(callee, args, new Site(c.span(), label, isStage, c.callee()), ctx);
            }
            case Name n -> call(eval(n, ctx), List.of(new ArgVal(Optional.empty(), input, stage.span())), new Site(n.span(), label, isStage, n), ctx);
            case Member m -> call(eval(m, ctx), List.of(new ArgVal(Optional.empty(), input, stage.span())), new Site(m.span(), label, isStage, m), ctx);
            case Seq s -> call(new SeqV(s, ctx.env()), List.of(new ArgVal(Optional.empty(), input, stage.span())), new Site(s.span(), label, isStage, s), ctx);
            default -> {
                if (isStage) throw new EvalError(stage.span(), "a seq stage must be a layer, block or seq call");
                throw new EvalError(stage.span(), "cannot pipe into this expression; the right side of |> must be a layer, block, fn or seq");
            }
        };
    }

    // ======================= expressions =======================

    Value eval(Expr e, Ctx ctx) {
        Value v = evalInner(e, ctx);
        if (v instanceof Poison) throw Silent.INSTANCE;
        return v;
    }

    private void step(Span at) {
        if (++steps > MAX_STEPS) {
            // report once, then unwind: every later step of this evaluation fails silently
            if (steps > MAX_STEPS + 1) throw Silent.INSTANCE;
            throw new EvalError(at, "compile-time evaluation did not finish within " + MAX_STEPS + " steps (an endless loop or recursion?)");
        }
    }

    private Value evalInner(Expr e, Ctx ctx) {
        step(e.span());
        return switch (e) {
            case IntLit i -> new IntV(i.value());
            case FloatLit f -> new FloatV(f.value());
            case QuantityLit q -> q.integral() ? new IntV((long) q.value()) : new FloatV(q.value());
            case StrLit s -> new StrV(s.value());
            case BoolLit b -> new BoolV(b.value());
            case Unit u -> Value.UNIT;
            case Name n -> lookup(n.name(), n.span(), ctx);
            case Member m -> member(eval(m.target(), ctx), m, ctx);
            case Call c -> call(eval(c.callee(), ctx), evalArgs(c.args(), ctx), new Site(c.span(), Optional.empty(), false, c.callee()), ctx);
            case Index ix -> index(eval(ix.target(), ctx), eval(ix.index(), ctx), ix);
            case Unary u -> unary(u, eval(u.operand(), ctx), ctx);
            case Binary b -> binary(b, ctx);
            case Range r -> {
                Value from = eval(r.from(), ctx), to = eval(r.to(), ctx);
                if (!(from instanceof IntV f)) throw new EvalError(r.from().span(), "a range bound must be an int, got " + Value.typeName(from));
                if (!(to instanceof IntV t)) throw new EvalError(r.to().span(), "a range bound must be an int, got " + Value.typeName(to));
                yield Builtins.range(r.span(), f.v(), r.inclusive() ? Math.addExact(t.v(), 1) : t.v(), 1);
            }
            case Pipe p -> applyStage(eval(p.lhs(), ctx), p.stage(), Optional.empty(), ctx, false);
            case Labeled l -> switch (l.expr()) {
                case Call c -> call(eval(c.callee(), ctx), evalArgs(c.args(), ctx), new Site(c.span(), Optional.of(l), false, c.callee()), ctx);
                case Seq s -> new SeqV(s, ctx.env(), Optional.of(l)); // labelled when applied
                default -> throw new EvalError(l.labelSpan(), "a label names a layer, block or seq call, such as 'conv1: conv2d(x, 64, kernel=3)'");
            };
            case If iff -> ifValue(iff, ctx);
            case Seq s -> new SeqV(s, ctx.env());
            case ListLit l -> new ListV(l.elements().stream().map(x -> eval(x, ctx)).collect(ImmutableList.toImmutableList()));
            case TupleLit t -> new TupleV(t.elements().stream().map(x -> eval(x, ctx)).collect(ImmutableList.toImmutableList()));
        };
    }

    private Value ifValue(If iff, Ctx ctx) {
        if (condition(iff.cond(), ctx)) return bodyValue(iff.then(), ctx);
        if (iff.elseIf().isPresent()) return ifValue(iff.elseIf().get(), ctx);
        if (iff.otherwise().isPresent()) return bodyValue(iff.otherwise().get(), ctx);
        return Value.UNIT;
    }

    /** The value of a braced body: its statements run, then its last expression is the value. */
    private Value bodyValue(Body body, Ctx ctx) {
        Ctx inner = ctx.withEnv(ctx.env().child());
        List<Stmt> stmts = body.stmts();
        if (stmts.isEmpty()) return Value.UNIT;
        Stmt last = stmts.get(stmts.size() - 1);
        for (Stmt s : stmts.subList(0, stmts.size() - 1)) exec(s, inner);
        if (last instanceof Stmt.ExprStmt es) return eval(es.expr(), inner);
        exec(last, inner);
        return Value.UNIT;
    }

    private Value lookup(String name, Span span, Ctx ctx) {
        Optional<Value> local = ctx.env().lookupLocal(name);
        if (local.isPresent()) return local.get();
        if (ctx.circuit() != null && QuantumBuiltins.isName(name) && ctx.env().module().decls().get(name) == null) return new GateV(name);
        if (name.equals("pi") && ctx.env().module().decls().get(name) == null) return new FloatV(Math.PI);
        return lookupModule(ctx.env().module(), name, span, ctx, true);
    }

    private Value lookupModule(ModuleEnv module, String name, Span span, Ctx ctx, boolean withImports) {
        Decl d = module.decls().get(name);
        if (d != null) return declValue(module, d, span);
        if (withImports) {
            ModuleEnv aliased = module.aliasImports().get(name);
            if (aliased != null) return new ModuleV(aliased);
            List<ModuleEnv> providers = module.providers(name);
            if (providers.size() > 1) {
                throw new EvalError(span, "'" + name + "' is ambiguous: it is defined in modules " + providers.get(0).modulePath()
                        + " and " + providers.get(1).modulePath() + " (import one of them with 'as')");
            }
            if (providers.size() == 1) return declValue(providers.get(0), providers.get(0).decls().get(name), span);
            Builtin b = Builtins.ALL.get(name);
            if (b != null) return new BuiltinV(b);
        }
        Set<String> candidates = new TreeSet<>(module.decls().keySet());
        if (withImports) {
            candidates.addAll(ctx.env().localNames());
            candidates.addAll(Builtins.ALL.keySet());
            for (ModuleEnv m : module.openImports()) candidates.addAll(m.decls().keySet());
            candidates.addAll(module.aliasImports().keySet());
        }
        if (withImports && QuantumBuiltins.isName(name)) {
            throw new EvalError(span, "'" + name + "' is a quantum gate or operation, which can only be applied inside a circuit");
        }
        String hint = Suggest.closest(name, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
        throw new EvalError(span, withImports ? "unknown name '" + name + "'" + hint
                : "module '" + module.modulePath() + "' has no declaration '" + name + "'" + hint);
    }

    private Value declValue(ModuleEnv module, Decl d, Span use) {
        return switch (d) {
            case Decl.Block b -> new BlockV(b, module);
            case Decl.Fn f -> new FnV(f, module);
            case Decl.Network n -> new NetworkV(n, module);
            case Decl.Circuit c -> new CircuitV(c, module);
            case Decl.Const c -> constValue(module, c);
            default -> new DeclV(d);
        };
    }

    private final Set<Decl.Const> evaluating = new HashSet<>();

    private Value constValue(ModuleEnv module, Decl.Const c) {
        if (c.pattern() instanceof Pattern.NamePat) {
            Value cached = module.constValues.get(c.name());
            if (cached != null) return cached;
        }
        if (!evaluating.add(c)) throw new EvalError(c.nameSpan(), "'" + c.name() + "' is defined in terms of itself");
        try {
            Ctx ctx = new Ctx(new Env(module), null, new LayerScope("", false), null, Kind.CONST);
            Value v;
            try {
                v = eval(c.value(), ctx);
                if (c.type().isPresent()) v = checkType(v, c.type().get(), c.value().span(), ctx, "the value of '" + c.name() + "'");
            } catch (EvalError err) {
                diags.add(err.diagnostic);
                v = Value.POISON;
            }
            if (c.pattern() instanceof Pattern.NamePat) module.constValues.put(c.name(), v);
            if (v instanceof Poison) throw Silent.INSTANCE;
            return v;
        } finally {
            evaluating.remove(c);
        }
    }

    private Value member(Value target, Member m, Ctx ctx) {
        return switch (target) {
            case ModuleV mod -> lookupModule(mod.module(), m.name(), m.nameSpan(), ctx, false);
            case QRegV r when m.name().equals("size") -> new IntV(r.size());
            case SymbolArrayV a when m.name().equals("size") -> new IntV(a.shape().get(a.prefix().size()));
            case TensorV t -> switch (m.name()) {
                case "shape" -> new ListV(t.type().shape().stream().map(d -> (Value) new IntV(d)).collect(ImmutableList.toImmutableList()));
                case "rank" -> new IntV(t.type().rank());
                case "numel" -> new IntV(t.type().numel());
                case "dtype" -> new StrV(t.type().dtype().text());
                case "channels", "height", "width" -> {
                    int axis = switch (m.name()) { case "channels" -> 1; case "height" -> 2; default -> 3; };
                    if (t.type().rank() <= axis) {
                        throw new EvalError(m.nameSpan(), "a tensor of type " + t.type() + " has no " + m.name() + " (axis " + axis + ")");
                    }
                    yield new IntV(t.type().dim(axis));
                }
                default -> throw new EvalError(m.nameSpan(), "a tensor has no member '" + m.name() + "'"
                        + Suggest.closest(m.name(), List.of("shape", "rank", "numel", "dtype", "channels", "height", "width"))
                        .map(s -> "; did you mean '" + s + "'?").orElse(""));
            };
            default -> throw new EvalError(m.nameSpan(), "a value of type " + Value.typeName(target) + " has no member '" + m.name() + "'");
        };
    }

    private Value index(Value target, Value idx, Index ix) {
        if (target instanceof CRegV r) {
            if (!(idx instanceof IntV i)) throw new EvalError(ix.index().span(), "an index must be an int, got " + Value.typeName(idx));
            long k = i.v() < 0 ? i.v() + r.size() : i.v();
            if (k < 0 || k >= r.size()) throw new EvalError(ix.index().span(), "index " + i.v() + " is out of range for classical register " + r.name() + " of size " + r.size());
            return new ClbitV(r.start() + (int) k);
        }
        if (target instanceof QRegV || target instanceof SymbolArrayV) {
            if (!(idx instanceof IntV i)) throw new EvalError(ix.index().span(), "an index must be an int, got " + Value.typeName(idx));
            int size = target instanceof QRegV r ? r.size() : ((SymbolArrayV) target).shape().get(((SymbolArrayV) target).prefix().size());
            long k = i.v() < 0 ? i.v() + size : i.v();
            if (k < 0 || k >= size) throw new EvalError(ix.index().span(), "index " + i.v() + " is out of range for " + Value.typeName(target) + " of size " + size);
            if (target instanceof QRegV r) return new QubitV(r.start() + (int) k);
            SymbolArrayV a = (SymbolArrayV) target;
            ImmutableList<Integer> prefix = ImmutableList.<Integer>builder().addAll(a.prefix()).add((int) k).build();
            if (prefix.size() < a.shape().size()) return new SymbolArrayV(a.name(), a.shape(), prefix, a.input(), a.inputBase());
            if (a.input()) return new AngleV(tml.ir.quantum.Angle.input(a.inputBase() + prefix.get(0)));
            StringBuilder name = new StringBuilder(a.name());
            for (int p : prefix) name.append('_').append(p);
            return new AngleV(tml.ir.quantum.Angle.param(name.toString()));
        }
        ImmutableList<Value> items = switch (target) {
            case ListV l -> l.items();
            case TupleV t -> t.items();
            case TensorV t -> throw new EvalError(ix.span(), "tensors cannot be indexed; use reshape, flatten or concat");
            default -> throw new EvalError(ix.target().span(), "a value of type " + Value.typeName(target) + " cannot be indexed");
        };
        if (!(idx instanceof IntV i)) throw new EvalError(ix.index().span(), "an index must be an int, got " + Value.typeName(idx));
        long k = i.v() < 0 ? i.v() + items.size() : i.v();
        if (k < 0 || k >= items.size()) {
            throw new EvalError(ix.index().span(), "index " + i.v() + " is out of range for a " + Value.typeName(target) + " of length " + items.size());
        }
        return items.get((int) k);
    }

    private Value unary(Unary u, Value v, Ctx ctx) {
        return switch (u.op()) {
            case NOT -> {
                if (v instanceof BoolV b) yield new BoolV(!b.v());
                throw new EvalError(u.span(), "'!' needs a bool, got " + Value.typeName(v));
            }
            case POS -> {
                if (v instanceof IntV || v instanceof FloatV || v instanceof TensorV) yield v;
                throw new EvalError(u.span(), "unary '+' needs a number or tensor, got " + Value.typeName(v));
            }
            case NEG -> switch (v) {
                case IntV i -> {
                    if (i.v() == Long.MIN_VALUE) throw new EvalError(u.span(), "integer overflow");
                    yield new IntV(-i.v());
                }
                case FloatV f -> new FloatV(-f.v());
                case AngleV a -> new AngleV(a.angle().negate());
                case TensorV t -> opNode(ctx, "neg", new Op.BinaryScalar(Op.BinKind.MUL, -1.0, false), List.of(t), u.span());
                default -> throw new EvalError(u.span(), "unary '-' needs a number or tensor, got " + Value.typeName(v));
            };
        };
    }

    private Value binary(Binary b, Ctx ctx) {
        if (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR) {
            boolean l = logical(eval(b.lhs(), ctx), b.lhs().span(), b.op());
            if (b.op() == BinaryOp.AND && !l) return new BoolV(false);
            if (b.op() == BinaryOp.OR && l) return new BoolV(true);
            return new BoolV(logical(eval(b.rhs(), ctx), b.rhs().span(), b.op()));
        }
        Value l = eval(b.lhs(), ctx), r = eval(b.rhs(), ctx);
        if (l instanceof TensorV || r instanceof TensorV) return tensorBinary(b, l, r, ctx);
        if (l instanceof CRegV creg && b.op() == BinaryOp.EQ) {
            if (!(r instanceof IntV v) || v.v() < 0 || (creg.size() < 63 && v.v() >= (1L << creg.size()))) {
                throw new EvalError(b.rhs().span(), "a classical register of " + creg.size() + " bits compares with an int from 0 to " + ((1L << Math.min(62, creg.size())) - 1));
            }
            return new CondV(creg.start(), creg.size(), v.v());
        }
        if (l instanceof ClbitV bit && b.op() == BinaryOp.EQ && r instanceof IntV v && (v.v() == 0 || v.v() == 1)) {
            return new CondV(bit.index(), 1, v.v());
        }
        Optional<Value> angle = QuantumBuiltins.arith(b, l, r);
        if (angle.isPresent()) return angle.get();
        try {
            return Arith.apply(b.op(), l, r, b);
        } catch (ArithmeticException ex) {
            throw new EvalError(b.span(), ex.getMessage() == null || ex.getMessage().contains("overflow") ? "integer overflow" : ex.getMessage());
        }
    }

    private static boolean logical(Value v, Span span, BinaryOp op) {
        if (v instanceof BoolV bv) return bv.v();
        throw new EvalError(span, "'" + op.text + "' needs bools, got " + Value.typeName(v));
    }

    private Value tensorBinary(Binary b, Value l, Value r, Ctx ctx) {
        Op.BinKind kind = switch (b.op()) {
            case ADD -> Op.BinKind.ADD;
            case SUB -> Op.BinKind.SUB;
            case MUL -> Op.BinKind.MUL;
            case DIV -> Op.BinKind.DIV;
            case MATMUL -> null;
            default -> throw new EvalError(b.opSpan(), "operator '" + b.op().text + "' is not defined for tensors");
        };
        if (l instanceof TensorV lt && r instanceof TensorV rt) {
            if (kind == null) return opNode(ctx, "matmul", new Op.MatMul(), List.of(lt, rt), b.span());
            return opNode(ctx, kind.text, new Op.Binary(kind), List.of(lt, rt), b.span());
        }
        if (kind == null) throw new EvalError(b.opSpan(), "'@' needs two tensors");
        boolean scalarLeft = !(l instanceof TensorV);
        Value scalar = scalarLeft ? l : r;
        TensorV t = (TensorV) (scalarLeft ? r : l);
        if (!(scalar instanceof IntV || scalar instanceof FloatV)) {
            throw new EvalError(b.span(), "cannot apply '" + b.op().text + "' to a tensor and a " + Value.typeName(scalar));
        }
        return opNode(ctx, kind.text, new Op.BinaryScalar(kind, Builtins.num(scalar), scalarLeft), List.of(t), b.span());
    }

    /** A node made by an operator (not a named call): it gets an automatic name in the current scope. */
    private TensorV opNode(Ctx ctx, String kind, Op op, List<TensorV> operands, Span span) {
        if (ctx.graph() == null) throw new EvalError(span, "tensor arithmetic is only possible inside a network or block");
        return ctx.graph().node(ctx.scope().qualify(uniqueAuto(ctx, kind)), op, operands, span);
    }

    private String uniqueAuto(Ctx ctx, String kind) {
        String local;
        do {
            local = ctx.scope().autoName(kind);
        } while (ctx.graph() != null && ctx.graph().isDefined(ctx.scope().qualify(local)));
        return local;
    }

    // ======================= calls =======================

    record ArgVal(Optional<String> name, Value value, Span span) {}

    /** Where a call happens: its span, its label, whether it is a seq stage, and the callee expression. */
    private record Site(Span span, Optional<Labeled> label, boolean stage, Expr callee) {}

    private List<ArgVal> evalArgs(List<Arg> args, Ctx ctx) {
        List<ArgVal> out = new ArrayList<>();
        Set<String> seenNames = new HashSet<>();
        boolean named = false;
        for (Arg a : args) {
            if (a.name().isPresent()) {
                named = true;
                if (!seenNames.add(a.name().get())) throw new EvalError(a.span(), "argument '" + a.name().get() + "' is given twice");
            } else if (named) {
                throw new EvalError(a.span(), "a positional argument cannot follow named arguments");
            }
            out.add(new ArgVal(a.name(), eval(a.value(), ctx), a.span()));
        }
        return out;
    }

    /** The local layer name of a call: its label, else its seq index, else an automatic one. */
    private String layerLocalName(Site site, Ctx ctx, String kind) {
        if (site.label().isPresent()) return site.label().get().label();
        if (site.stage() && ctx.scope().sequential()) return ctx.scope().nextStage();
        return uniqueAuto(ctx, kind);
    }

    private Value call(Value callee, List<ArgVal> args, Site site, Ctx ctx) {
        if (++depth > MAX_CALL_DEPTH) {
            depth--; // the finally below is not reached from here; unwinding restores the rest
            throw new EvalError(site.span(), "calls are nested more than " + MAX_CALL_DEPTH + " deep (endless recursion?)");
        }
        try {
            return switch (callee) {
                case BuiltinV b -> callBuiltin(b.builtin(), args, site, ctx);
                case GateV g -> callGate(g, args, site, ctx);
                case BlockV b -> {
                    callSites.addLast(site.span());
                    try {
                        yield callBlock(b, args, site, ctx);
                    } finally {
                        callSites.removeLast();
                    }
                }
                case FnV f -> {
                    callSites.addLast(site.span());
                    try {
                        yield callFn(f, args, site, ctx);
                    } finally {
                        callSites.removeLast();
                    }
                }
                case SeqV s -> callSeq(s, args, site, ctx);
                case CircuitV c -> callCircuit(c, args, site, ctx);
                case NetworkV n -> throw new EvalError(site.span(), "network '" + n.decl().name() + "' cannot be called; make it a block to reuse it");
                default -> {
                    if (site.label().isPresent() && !(callee instanceof BlockV)) {
                        throw new EvalError(site.span(), "a label names a layer, block or seq call");
                    }
                    throw new EvalError(site.callee().span(), "a value of type " + Value.typeName(callee) + " cannot be called");
                }
            };
        } finally {
            depth--;
        }
    }

    private Value callGate(GateV g, List<ArgVal> args, Site site, Ctx ctx) {
        if (ctx.circuit() == null) throw new EvalError(site.span(), "gate '" + g.name() + "' can only be applied inside a circuit");
        if (site.label().isPresent()) throw new EvalError(site.label().get().labelSpan(), "gates cannot be labelled");
        List<QuantumBuiltins.Arg> qargs = new ArrayList<>();
        for (ArgVal a : args) {
            if (a.name().isPresent()) throw new EvalError(a.span(), "gate arguments are positional: angles first, then qubits");
            qargs.add(new QuantumBuiltins.Arg(a.value(), a.span()));
        }
        Optional<tml.ir.quantum.GateKind> kind = tml.ir.quantum.GateKind.byMnemonic(g.name());
        if (kind.isPresent()) QuantumBuiltins.gate(kind.get(), qargs, site.span(), ctx.circuit());
        else QuantumBuiltins.operation(g.name(), qargs, site.span(), ctx.circuit());
        return Value.UNIT;
    }

    private Value callBuiltin(Builtin b, List<ArgVal> args, Site site, Ctx ctx) {
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Span> spans = new HashMap<>();
        if (b.variadic()) {
            for (ArgVal a : args) {
                if (a.name().isPresent()) throw new EvalError(a.span(), b.name() + " takes no named arguments");
            }
            values.put("values", new ListV(args.stream().map(ArgVal::value).collect(ImmutableList.toImmutableList())));
            if (!args.isEmpty()) spans.put("values", args.get(0).span().to(args.get(args.size() - 1).span()));
        } else {
            List<String> names = b.params().stream().map(Builtin.BParam::name).toList();
            bindArgs(b.name(), names, args, site, values, spans);
            for (Builtin.BParam p : b.params()) {
                if (!values.containsKey(p.name())) {
                    if (p.required()) throw missing(b.name(), p.name(), site);
                    values.put(p.name(), p.defaultValue());
                }
            }
        }
        String layerName = null;
        if (b.layer()) {
            if (ctx.graph() == null) {
                throw new EvalError(site.span(), b.name() + " creates a layer, which is only possible inside a network or block"
                        + (ctx.kind() == Kind.FN ? " (not in a fn)" : ""));
            }
            layerName = ctx.scope().qualify(layerLocalName(site, ctx, b.name()));
            // a repeated label is reported at the label, before the layer's weights would collide
            if (site.label().isPresent()) ctx.graph().checkFree(layerName, site.label().get().labelSpan(), "layer");
        } else if (site.label().isPresent()) {
            throw new EvalError(site.label().get().labelSpan(), "'" + b.name() + "' is a compile-time function, not a layer, so it cannot be labelled");
        }
        try {
            return b.impl().apply(new CallArgs(b, values, spans, site.span(), ctx.graph(), layerName));
        } catch (ArithmeticException e) {
            throw new EvalError(site.span(), "integer overflow in " + b.name());
        }
    }

    private static EvalError missing(String callee, String param, Site site) {
        return new EvalError(site.span(), "missing argument '" + param + "' of " + callee);
    }

    /** Binds positional then named arguments to parameter names, reporting unknown, repeated and extra ones. */
    private void bindArgs(String callee, List<String> names, List<ArgVal> args, Site site, Map<String, Value> values, Map<String, Span> spans) {
        int pos = 0;
        for (ArgVal a : args) {
            String name;
            if (a.name().isPresent()) {
                name = a.name().get();
                if (!names.contains(name)) {
                    String hint = Suggest.closest(name, names).map(s -> "; did you mean '" + s + "'?").orElse("");
                    throw new EvalError(a.span(), callee + " has no parameter '" + name + "'" + hint);
                }
                if (values.containsKey(name)) throw new EvalError(a.span(), "argument '" + name + "' of " + callee + " is given twice");
            } else {
                if (pos >= names.size()) {
                    throw new EvalError(a.span(), callee + " takes " + names.size() + " argument" + (names.size() == 1 ? "" : "s")
                            + (site.stage() || pos > 0 && args.get(0).span().equals(site.span()) ? " (including the piped input)" : "")
                            + " but more were given");
                }
                name = names.get(pos++);
            }
            values.put(name, a.value());
            spans.put(name, a.span());
        }
    }

    private Map<String, Value> bindParams(String callee, List<ParamDecl> params, List<ArgVal> args, Site site, Ctx calleeCtx) {
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Span> spans = new HashMap<>();
        bindArgs(callee, params.stream().map(ParamDecl::name).toList(), args, site, values, spans);
        Map<String, Value> out = new LinkedHashMap<>();
        for (ParamDecl p : params) {
            Value v = values.get(p.name());
            Span at = spans.getOrDefault(p.name(), site.span());
            if (v == null) {
                if (p.defaultValue().isEmpty()) throw missing(callee, p.name(), site);
                v = eval(p.defaultValue().get(), calleeCtx);
                at = p.defaultValue().get().span();
            }
            v = coerceParam(p, v, at, calleeCtx);
            calleeCtx.env().define(p.name(), v);
            out.put(p.name(), v);
        }
        return out;
    }

    private Value coerceParam(ParamDecl p, Value v, Span at, Ctx ctx) {
        if (p.type().isEmpty()) return v;
        return checkType(v, p.type().get(), at, ctx, "parameter '" + p.name() + "'");
    }

    private Value callBlock(BlockV b, List<ArgVal> args, Site site, Ctx ctx) {
        if (ctx.circuit() != null) {
            // in a circuit a block is a user-defined gate: its body's gates are applied in place
            Ctx inner = new Ctx(new Env(b.module()), null, new LayerScope("", false), null, Kind.BLOCK, ctx.circuit());
            bindParams(b.decl().name(), b.decl().params(), args, site, inner);
            return runBody(b.decl().body(), inner, "block '" + b.decl().name() + "'", b.decl().nameSpan());
        }
        if (ctx.graph() == null) {
            throw new EvalError(site.span(), "block '" + b.decl().name() + "' creates layers, which is only possible inside a network or block");
        }
        String local = layerLocalName(site, ctx, b.decl().name());
        if (site.label().isPresent()) ctx.graph().claim(ctx.scope().qualify(local), site.label().get().labelSpan(), "block call");
        Ctx inner = new Ctx(new Env(b.module()), ctx.graph(), ctx.scope().child(local, false), null, Kind.BLOCK);
        bindParams(b.decl().name(), b.decl().params(), args, site, inner);
        return runBody(b.decl().body(), inner, "block '" + b.decl().name() + "'", b.decl().nameSpan());
    }

    /**
     * A circuit called in a network or block, {@code x |> qnn_layer: qnn(layers=2)}: the tensor (the
     * first, piped argument) gives the circuit's input features on its last axis, the other arguments
     * are the circuit's compile-time parameters. The circuit is elaborated with them; the layer gets
     * one weight {@code <layer>.weights : f32[P]} (the circuit's trainable angles in declaration order,
     * uniform in [-π, π): one full turn) and becomes a {@code quantum} node giving ⟨Z⟩ of each qubit.
     */
    private Value callCircuit(CircuitV c, List<ArgVal> args, Site site, Ctx ctx) {
        Decl.Circuit decl = c.decl();
        if (ctx.circuit() != null) {
            throw new EvalError(site.span(), "circuit '" + decl.name() + "' cannot be called inside a circuit; make the shared gates a block (a user-defined gate)");
        }
        if (ctx.graph() == null) {
            throw new EvalError(site.span(), "circuit '" + decl.name() + "' called as a layer creates a layer, which is only possible inside a network or block"
                    + (ctx.kind() == Kind.FN ? " (not in a fn)" : ""));
        }
        if (args.isEmpty() || args.get(0).name().isPresent() || !(args.get(0).value() instanceof TensorV x)) {
            throw new EvalError(args.isEmpty() ? site.span() : args.get(0).span(), "a circuit used as a layer takes its input features as a tensor first"
                    + " (pipe them in: x |> " + decl.name() + "(...))" + (args.isEmpty() || args.get(0).name().isPresent() ? "" : ", got " + Value.aTypeName(args.get(0).value())));
        }
        String layer = ctx.scope().qualify(layerLocalName(site, ctx, decl.name()));
        if (site.label().isPresent()) ctx.graph().checkFree(layer, site.label().get().labelSpan(), "layer");
        CircuitState state = new CircuitState(decl.name());
        Ctx inner = new Ctx(new Env(c.module()), null, new LayerScope("", false), null, Kind.CIRCUIT, state);
        int errorsBefore = diags.errorCount();
        long failuresBefore = failures;
        bindParams(decl.name(), decl.params(), args.subList(1, args.size()), site, inner);
        tml.ir.quantum.Circuit circuit = finishCircuit(decl, inner, state, errorsBefore, failuresBefore).orElseThrow(() -> Silent.INSTANCE);
        Op.Quantum op = new Op.Quantum(circuit);
        TensorType weights = TensorType.of(x.type().dtype(), List.of(circuit.params().size()));
        try {
            ShapeRules.infer(op, List.of(x.type(), weights)); // reported before the layer's weight is declared
        } catch (ShapeException e) {
            throw new EvalError(site.span(), e.getMessage());
        }
        TensorV w = ctx.graph().param(layer + ".weights", weights, new ParamInit.Uniform(Math.PI), false, site.span());
        return ctx.graph().node(layer, op, List.of(x, w), site.span());
    }

    private Value callFn(FnV f, List<ArgVal> args, Site site, Ctx ctx) {
        if (site.label().isPresent()) {
            throw new EvalError(site.label().get().labelSpan(), "'" + f.decl().name() + "' is a fn, not a layer, so it cannot be labelled");
        }
        Ctx inner = new Ctx(new Env(f.module()), null, new LayerScope("", false), null, Kind.FN);
        bindParams(f.decl().name(), f.decl().params(), args, site, inner);
        Value v = runBody(f.decl().body(), inner, "fn '" + f.decl().name() + "'", f.decl().nameSpan());
        if (f.decl().returnType().isPresent()) v = checkType(v, f.decl().returnType().get(), site.span(), inner, "the result of '" + f.decl().name() + "'");
        return v;
    }

    private Value runBody(Body body, Ctx inner, String what, Span nameSpan) {
        int before = diags.errorCount();
        long failuresBefore = failures;
        try {
            runStatements(body.stmts(), inner);
        } catch (ReturnSignal r) {
            return r.value;
        }
        if (diags.errorCount() != before || failures != failuresBefore) throw Silent.INSTANCE;
        return Value.UNIT;
    }

    private Value callSeq(SeqV s, List<ArgVal> args, Site site, Ctx ctx) {
        if (site.label().isEmpty() && s.label().isPresent()) site = new Site(site.span(), s.label(), site.stage(), site.callee());
        if (args.size() != 1 || args.get(0).name().isPresent()) {
            throw new EvalError(site.span(), "a seq takes exactly one tensor (pipe it in: x |> seq { ... })");
        }
        if (!(args.get(0).value() instanceof TensorV)) {
            throw new EvalError(args.get(0).span(), "a seq applies to a tensor, got " + Value.typeName(args.get(0).value()));
        }
        if (ctx.graph() == null) throw new EvalError(site.span(), "a seq creates layers, which is only possible inside a network or block");
        // A seq opens a scope only when it has a name (a label, or its index as a stage of an outer
        // seq); an unnamed seq numbers its stages in the scope it stands in, as nn.Sequential-valued
        // modules such as torchvision's Conv2dNormActivation do.
        boolean named = site.label().isPresent() || (site.stage() && ctx.scope().sequential());
        LayerScope scope = named ? ctx.scope().child(layerLocalName(site, ctx, "seq"), true) : ctx.scope().sequentialView();
        if (site.label().isPresent()) ctx.graph().claim(scope.path(), site.label().get().labelSpan(), "seq");
        SeqState state = new SeqState(args.get(0).value());
        Ctx inner = new Ctx(s.env().child(), ctx.graph(), scope, state, ctx.kind() == Kind.FN ? Kind.BLOCK : ctx.kind());
        int before = diags.errorCount();
        long failuresBefore = failures;
        runStatements(s.seq().body().stmts(), inner);
        if (diags.errorCount() != before || failures != failuresBefore || state.current instanceof Poison) throw Silent.INSTANCE;
        return state.current;
    }

    // ======================= patterns and types =======================

    private void bind(Pattern p, Value v, Env env, boolean check) {
        switch (p) {
            case Pattern.NamePat n -> env.define(n.name(), v);
            case Pattern.Wildcard w -> { }
            case Pattern.TuplePat t -> {
                if (v instanceof Poison) {
                    for (Pattern part : t.parts()) bind(part, v, env, false);
                    return;
                }
                ImmutableList<Value> items = v instanceof TupleV tv ? tv.items() : v instanceof ListV lv ? lv.items() : null;
                if (items == null) {
                    for (Pattern part : t.parts()) bind(part, Value.POISON, env, false);
                    throw new EvalError(t.span(), "cannot destructure " + Value.aTypeName(v) + " into " + t.parts().size() + " parts");
                }
                if (items.size() != t.parts().size()) {
                    for (Pattern part : t.parts()) bind(part, Value.POISON, env, false);
                    throw new EvalError(t.span(), "cannot destructure " + items.size() + " values into " + t.parts().size() + " names");
                }
                for (int i = 0; i < items.size(); i++) bind(t.parts().get(i), items.get(i), env, check);
            }
        }
    }

    TensorType tensorType(TypeExpr.Tensor t, Ctx ctx) {
        DType dtype = DType.fromText(t.dtype()).orElseThrow(() -> new EvalError(t.span(), "unknown element type '" + t.dtype() + "'"));
        List<Integer> dims = new ArrayList<>();
        long numel = 1;
        for (Expr d : t.dims()) {
            Value v = eval(d, ctx);
            if (!(v instanceof IntV i)) throw new EvalError(d.span(), "a tensor dimension must be an int, got " + Value.typeName(v) + " " + Value.show(v));
            if (i.v() <= 0) throw new EvalError(d.span(), "a tensor dimension must be positive, got " + i.v());
            if (i.v() > Integer.MAX_VALUE) throw new EvalError(d.span(), "tensor dimension " + i.v() + " is too large");
            // checked before multiplying: the product of a few large dimensions overflows a long
            if (numel > (1L << 40) / i.v()) throw new EvalError(t.span(), "tensor type " + plain(t) + " has more than 2^40 elements");
            numel = numel * i.v();
            dims.add((int) i.v());
        }
        return TensorType.of(dtype, dims);
    }

    /** Checks (and converts int to float where a float is declared) a value against a declared type. */
    Value checkType(Value v, TypeExpr type, Span at, Ctx ctx, String what) {
        Optional<Value> ok = conform(v, type, ctx);
        if (ok.isPresent()) return ok.get();
        throw new EvalError(at, what + " must be " + describe(type) + ", got " + Value.typeName(v)
                + (v instanceof TensorV || Value.show(v).equals(Value.typeName(v)) ? "" : " " + Value.show(v)));
    }

    private Optional<Value> conform(Value v, TypeExpr type, Ctx ctx) {
        return switch (type) {
            case TypeExpr.Tensor t -> {
                if (!(v instanceof TensorV tv)) yield Optional.empty();
                yield tensorType(t, ctx).equals(tv.type()) ? Optional.of(v) : Optional.empty();
            }
            case TypeExpr.Tuple t -> {
                if (!(v instanceof TupleV tv) || tv.items().size() != t.parts().size()) yield Optional.empty();
                ImmutableList.Builder<Value> out = ImmutableList.builder();
                for (int i = 0; i < t.parts().size(); i++) {
                    Optional<Value> part = conform(tv.items().get(i), t.parts().get(i), ctx);
                    if (part.isEmpty()) yield Optional.empty();
                    out.add(part.get());
                }
                yield Optional.of(new TupleV(out.build()));
            }
            case TypeExpr.Named n -> switch (n.name()) {
                case "int" -> v instanceof IntV ? Optional.of(v) : Optional.empty();
                case "float" -> v instanceof FloatV ? Optional.of(v) : v instanceof IntV i ? Optional.of(new FloatV(i.v())) : Optional.empty();
                case "bool" -> v instanceof BoolV ? Optional.of(v) : Optional.empty();
                case "str" -> v instanceof StrV ? Optional.of(v) : Optional.empty();
                case "tensor" -> v instanceof TensorV ? Optional.of(v) : Optional.empty();
                case "any" -> Optional.of(v);
                case "list" -> {
                    if (!(v instanceof ListV l)) yield Optional.empty();
                    if (n.args().isEmpty()) yield Optional.of(v);
                    if (n.args().size() != 1) throw new EvalError(n.span(), "list takes one element type: list[T]");
                    ImmutableList.Builder<Value> out = ImmutableList.builder();
                    for (Value item : l.items()) {
                        Optional<Value> c = conform(item, n.args().get(0), ctx);
                        if (c.isEmpty()) yield Optional.empty();
                        out.add(c.get());
                    }
                    yield Optional.of(new ListV(out.build()));
                }
                case "tuple" -> {
                    if (!(v instanceof TupleV tv)) yield Optional.empty();
                    if (n.args().isEmpty()) yield Optional.of(v);
                    yield conform(v, new TypeExpr.Tuple(n.span(), n.args()), ctx);
                }
                default -> throw new EvalError(n.span(), "unknown type '" + n.name() + "'"
                        + Suggest.closest(n.name(), List.of("int", "float", "bool", "str", "tensor", "list", "tuple", "any"))
                        .map(s -> "; did you mean '" + s + "'?").orElse(""));
            };
        };
    }

    static String describe(TypeExpr t) {
        return switch (t) {
            case TypeExpr.Named n when n.name().equals("int") -> "an int";
            case TypeExpr.Named n when n.args().isEmpty() -> "a " + n.name();
            case TypeExpr.Named n -> "a " + n.name() + "[" + String.join(", ", n.args().stream().map(Elaborator::plain).toList()) + "]";
            case TypeExpr.Tuple tu -> "a tuple " + plain(tu);
            case TypeExpr.Tensor te -> "a tensor " + plain(te);
        };
    }

    private static String plain(TypeExpr t) {
        return switch (t) {
            case TypeExpr.Named n -> n.args().isEmpty() ? n.name() : n.name() + "[" + String.join(", ", n.args().stream().map(Elaborator::plain).toList()) + "]";
            case TypeExpr.Tuple tu -> "(" + String.join(", ", tu.parts().stream().map(Elaborator::plain).toList()) + ")";
            case TypeExpr.Tensor te -> te.span().file().text().substring(te.span().start(), Math.min(te.span().end(), te.span().file().text().length()));
        };
    }
}
