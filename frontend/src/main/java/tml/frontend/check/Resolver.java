package tml.frontend.check;

import java.util.*;
import tml.frontend.ast.*;
import tml.frontend.ast.Expr.*;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;
import tml.frontend.elab.Builtins;
import tml.frontend.elab.ModuleEnv;
import tml.frontend.elab.Suggest;

/**
 * Static checks of one module, run before any evaluation and over every declaration (also those no
 * network uses): names resolve, statements stand where they are allowed, nothing is declared twice.
 */
public final class Resolver {
    private final ModuleEnv module;
    private final Diagnostics diags;

    private enum Where { NETWORK, BLOCK, FN, CONST, TARGET, CIRCUIT }

    /** Gate names resolve inside circuits and blocks (which may be used as user-defined gates). */
    private boolean gatesVisible;

    private Resolver(ModuleEnv module, Diagnostics diags) {
        this.module = module;
        this.diags = diags;
    }

    public static void resolve(ModuleEnv module, Diagnostics diags) {
        new Resolver(module, diags).run();
    }

    private void run() {
        Map<String, Decl> first = new HashMap<>();
        for (FileNode.Import imp : module.file().imports()) {
            imp.alias().ifPresent(a -> {
                if (module.decls().containsKey(a)) diags.error(imp.span(), "import alias '" + a + "' clashes with a declaration of this module");
            });
        }
        for (Decl d : module.file().decls()) {
            Decl prev = first.putIfAbsent(d.name(), d);
            if (prev != null && !(d instanceof Decl.Const c && !(c.pattern() instanceof Pattern.NamePat))) {
                diags.add(Diagnostic.error(d.nameSpan(), "'" + d.name() + "' is already declared in this module").withNote(prev.nameSpan(), "first declared here"));
            }
            if (Builtins.ALL.containsKey(d.name())) {
                diags.warning(d.nameSpan(), "'" + d.name() + "' hides the built-in of the same name in this module");
            }
        }
        for (Decl d : module.file().decls()) {
            switch (d) {
                case Decl.Network n -> body(n.params(), n.body(), Where.NETWORK);
                case Decl.Circuit c -> body(c.params(), c.body(), Where.CIRCUIT);
                case Decl.Block b -> body(b.params(), b.body(), Where.BLOCK);
                case Decl.Fn f -> body(f.params(), f.body(), Where.FN);
                case Decl.Const c -> {
                    if (c.pattern() instanceof Pattern.TuplePat tp) {
                        // module constants are looked up by name; a tuple pattern here would bind nothing
                        diags.error(tp.span(), "a module-level let binds one name; destructure in a network, block or fn body");
                    }
                    c.type().ifPresent(t -> type(t, new Scope(null)));
                    expr(c.value(), new Scope(null));
                }
                case Decl.Policy p when p.kind().equals("target") -> {
                    Scope s = new Scope(null);
                    params(p.params(), s);
                    for (Stmt st : p.body().stmts()) if (st instanceof Stmt.Property prop) expr(prop.value(), s);
                }
                // circuits and the other policies get their meaning (and their checks) from later chapters
                default -> { }
            }
        }
    }

    /** A lexical scope of local names. */
    private static final class Scope {
        final Scope parent;
        final Set<String> names = new HashSet<>();
        Scope(Scope parent) { this.parent = parent; }
        boolean has(String n) {
            for (Scope s = this; s != null; s = s.parent) if (s.names.contains(n)) return true;
            return false;
        }
        Set<String> all() {
            Set<String> out = new HashSet<>();
            for (Scope s = this; s != null; s = s.parent) out.addAll(s.names);
            return out;
        }
    }

    private void params(List<ParamDecl> params, Scope scope) {
        Map<String, Span> seen = new HashMap<>();
        for (ParamDecl p : params) {
            p.type().ifPresent(t -> type(t, scope));
            p.defaultValue().ifPresent(e -> expr(e, scope));
            Span prev = seen.putIfAbsent(p.name(), p.span());
            if (prev != null) diags.add(Diagnostic.error(p.span(), "parameter '" + p.name() + "' is declared twice").withNote(prev, "first declared here"));
            scope.names.add(p.name());
        }
    }

    private void body(List<ParamDecl> ps, Body body, Where where) {
        gatesVisible = where == Where.CIRCUIT || where == Where.BLOCK;
        Scope scope = new Scope(null);
        params(ps, scope);
        Map<String, Span> outputs = new HashMap<>();
        stmts(body.stmts(), new Scope(scope), where, outputs, false);
        if (where == Where.NETWORK && outputs.isEmpty() && !hasOutputAnywhere(body.stmts())) {
            // reported when elaborated; nothing to add statically
        }
    }

    private static boolean hasOutputAnywhere(List<Stmt> stmts) {
        return stmts.stream().anyMatch(s -> s instanceof Stmt.Output);
    }

    private void stmts(List<Stmt> stmts, Scope scope, Where where, Map<String, Span> outputs, boolean nested) {
        for (Stmt s : stmts) stmt(s, scope, where, outputs, nested);
    }

    private void stmt(Stmt s, Scope scope, Where where, Map<String, Span> outputs, boolean nested) {
        switch (s) {
            case Stmt.Let l -> {
                l.type().ifPresent(t -> type(t, scope));
                expr(l.value(), scope);
                pattern(l.pattern(), scope);
            }
            case Stmt.Input in -> {
                if (where != Where.NETWORK && where != Where.CIRCUIT) diags.error(in.span(), "'input' is only allowed in a network or circuit");
                else if (nested) diags.error(in.span(), "'input' must be at the top level of the body");
                type(in.type(), scope);
                scope.names.add(in.name());
            }
            case Stmt.Output out -> {
                if (where != Where.NETWORK) diags.error(out.span(), "'output' is only allowed in a network" + (where == Where.BLOCK ? "; a block gives its result with 'return'" : ""));
                expr(out.value(), scope);
                Span prev = outputs.putIfAbsent(out.name(), out.nameSpan());
                if (prev != null) diags.add(Diagnostic.error(out.nameSpan(), "output '" + out.name() + "' is defined twice").withNote(prev, "first defined here"));
            }
            case Stmt.Param p -> {
                if (where == Where.FN) diags.error(p.span(), "'param' declares a weight, which a fn cannot have; use a block");
                type(p.type(), scope);
                p.init().ifPresent(e -> expr(e, scope));
                scope.names.add(p.name());
            }
            case Stmt.Qubits q -> {
                if (where != Where.CIRCUIT) diags.error(q.span(), "'qubits' is only allowed in a circuit");
                else if (nested) diags.error(q.span(), "'qubits' must be at the top level of the circuit body");
                expr(q.size(), scope);
                scope.names.add(q.name());
            }
            case Stmt.Bits b -> {
                if (where != Where.CIRCUIT) diags.error(b.span(), "'bits' is only allowed in a circuit");
                else if (nested) diags.error(b.span(), "'bits' must be at the top level of the circuit body");
                expr(b.size(), scope);
                scope.names.add(b.name());
            }
            case Stmt.For f -> {
                expr(f.iterable(), scope);
                Scope inner = new Scope(scope);
                pattern(f.pattern(), inner);
                stmts(f.body().stmts(), inner, where, outputs, true);
            }
            case Stmt.Return r -> {
                if (where == Where.NETWORK) diags.error(r.span(), "'return' is not allowed in a network; use 'output NAME = ...'");
                expr(r.value(), scope);
            }
            case Stmt.Assert a -> {
                expr(a.cond(), scope);
                a.message().ifPresent(m -> expr(m, scope));
            }
            case Stmt.Property p -> {
                diags.error(p.keySpan(), "'" + p.key() + " = ...' sets a property, which only target and policy declarations have; use 'let "
                        + p.key() + " = ...'");
                expr(p.value(), scope);
            }
            case Stmt.Section sec -> diags.error(sec.keySpan(), "a section '" + sec.key() + " { ... }' is only allowed in policy declarations");
            case Stmt.ExprStmt e -> {
                if (e.expr() instanceof If iff) ifStmt(iff, scope, where, outputs);
                else expr(e.expr(), scope);
            }
        }
    }

    private void ifStmt(If iff, Scope scope, Where where, Map<String, Span> outputs) {
        expr(iff.cond(), scope);
        // the branches exclude each other, so each may define the same output; later ones see all
        Map<String, Span> before = new HashMap<>(outputs);
        Map<String, Span> then = new HashMap<>(before);
        stmts(iff.then().stmts(), new Scope(scope), where, then, true);
        then.forEach(outputs::putIfAbsent);
        iff.elseIf().ifPresent(e -> {
            Map<String, Span> branch = new HashMap<>(before);
            ifStmt(e, scope, where, branch);
            branch.forEach(outputs::putIfAbsent);
        });
        iff.otherwise().ifPresent(b -> {
            Map<String, Span> branch = new HashMap<>(before);
            stmts(b.stmts(), new Scope(scope), where, branch, true);
            branch.forEach(outputs::putIfAbsent);
        });
    }

    private void pattern(Pattern p, Scope scope) {
        switch (p) {
            case Pattern.NamePat n -> scope.names.add(n.name());
            case Pattern.Wildcard w -> { }
            case Pattern.TuplePat t -> {
                Set<String> seen = new HashSet<>();
                for (Pattern part : t.parts()) {
                    if (part instanceof Pattern.NamePat n && !seen.add(n.name())) diags.error(n.span(), "'" + n.name() + "' is bound twice in this pattern");
                    pattern(part, scope);
                }
            }
        }
    }

    private void type(TypeExpr t, Scope scope) {
        switch (t) {
            case TypeExpr.Tensor te -> te.dims().forEach(d -> expr(d, scope));
            case TypeExpr.Named n -> {
                if (!List.of("int", "float", "bool", "str", "tensor", "list", "tuple", "any").contains(n.name())) {
                    diags.error(n.span(), "unknown type '" + n.name() + "'"
                            + Suggest.closest(n.name(), List.of("int", "float", "bool", "str", "tensor", "list", "tuple", "any"))
                            .map(x -> "; did you mean '" + x + "'?").orElse(""));
                }
                n.args().forEach(a -> type(a, scope));
            }
            case TypeExpr.Tuple tu -> tu.parts().forEach(p -> type(p, scope));
        }
    }

    private void expr(Expr e, Scope scope) {
        switch (e) {
            case IntLit i -> { }
            case FloatLit f -> { }
            case QuantityLit q -> { }
            case StrLit s -> { }
            case BoolLit b -> { }
            case Unit u -> { }
            case Name n -> name(n.name(), n.span(), scope);
            case Member m -> {
                if (m.target() instanceof Name n && !scope.has(n.name()) && module.aliasImports().containsKey(n.name())) {
                    ModuleEnv target = module.aliasImports().get(n.name());
                    if (!target.decls().containsKey(m.name())) {
                        diags.error(m.nameSpan(), "module '" + target.modulePath() + "' has no declaration '" + m.name() + "'"
                                + Suggest.closest(m.name(), target.decls().keySet()).map(x -> "; did you mean '" + x + "'?").orElse(""));
                    }
                } else {
                    expr(m.target(), scope);
                }
            }
            case Call c -> {
                expr(c.callee(), scope);
                c.args().forEach(a -> expr(a.value(), scope));
            }
            case Index ix -> {
                expr(ix.target(), scope);
                expr(ix.index(), scope);
            }
            case Unary u -> expr(u.operand(), scope);
            case Binary b -> {
                expr(b.lhs(), scope);
                expr(b.rhs(), scope);
            }
            case Range r -> {
                expr(r.from(), scope);
                expr(r.to(), scope);
            }
            case Pipe p -> {
                expr(p.lhs(), scope);
                expr(p.stage(), scope);
            }
            case Labeled l -> expr(l.expr(), scope);
            case If iff -> {
                expr(iff.cond(), scope);
                bodyExpr(iff.then(), scope);
                iff.elseIf().ifPresent(x -> expr(x, scope));
                iff.otherwise().ifPresent(b -> bodyExpr(b, scope));
            }
            case Seq s -> bodyExpr(s.body(), scope);
            case ListLit l -> l.elements().forEach(x -> expr(x, scope));
            case TupleLit t -> t.elements().forEach(x -> expr(x, scope));
        }
    }

    private void bodyExpr(Body body, Scope scope) {
        Scope inner = new Scope(scope);
        for (Stmt s : body.stmts()) stmt(s, inner, Where.BLOCK, new HashMap<>(), true);
    }

    private void name(String name, Span span, Scope scope) {
        if (name.equals("pi") || gatesVisible && tml.ir.quantum.GateKind.byMnemonic(name).isPresent()
                || gatesVisible && List.of("measure", "reset", "barrier").contains(name)) {
            return;
        }
        if (scope.has(name) || module.decls().containsKey(name) || module.aliasImports().containsKey(name)
                || Builtins.ALL.containsKey(name)) {
            return;
        }
        List<ModuleEnv> providers = module.providers(name);
        if (providers.size() == 1) return;
        if (providers.isEmpty() && (tml.ir.quantum.GateKind.byMnemonic(name).isPresent() || List.of("measure", "reset", "barrier").contains(name))) {
            diags.error(span, "'" + name + "' is a quantum gate or operation, which can only be applied inside a circuit");
            return;
        }
        if (providers.size() > 1) {
            diags.error(span, "'" + name + "' is ambiguous: it is defined in modules " + providers.get(0).modulePath() + " and "
                    + providers.get(1).modulePath() + " (import one of them with 'as')");
            return;
        }
        Set<String> candidates = new TreeSet<>(scope.all());
        candidates.addAll(module.decls().keySet());
        candidates.addAll(Builtins.ALL.keySet());
        candidates.addAll(module.aliasImports().keySet());
        for (ModuleEnv m : module.openImports()) candidates.addAll(m.decls().keySet());
        diags.error(span, "unknown name '" + name + "'" + Suggest.closest(name, candidates).map(x -> "; did you mean '" + x + "'?").orElse(""));
    }
}
