package tml.frontend.elab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Expr;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;

/** Checks a {@code target} declaration: known properties, each once, with values of the right kind. */
final class TargetCheck {
    private TargetCheck() {}

    static final List<String> CORES = List.of("host", "cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55", "sm_80", "sm_90");
    private static final Map<String, String> KEYS = Map.of(
            "core", "a string naming the core, e.g. \"cortex-m7\"",
            "sram", "a size in bytes, e.g. 320KiB",
            "flash", "a size in bytes, e.g. 1MiB",
            "clock", "a frequency, e.g. 216MHz",
            "board", "a string naming the board",
            "fpu", "a bool",
            "qemu", "a string naming the QEMU machine, e.g. \"mps2-an500\"");

    static void check(Decl.Policy target, Elaborator elab, ModuleEnv module, Diagnostics diags) {
        Map<String, Span> seen = new HashMap<>();
        for (Stmt s : target.body().stmts()) {
            if (!(s instanceof Stmt.Property p)) {
                diags.error(s.span(), "a target holds only properties 'key = value' (" + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            if (!KEYS.containsKey(p.key())) {
                String hint = Suggest.closest(p.key(), KEYS.keySet()).map(x -> "; did you mean '" + x + "'?").orElse("");
                diags.error(p.keySpan(), "unknown target property '" + p.key() + "'" + hint);
                continue;
            }
            Span prev = seen.putIfAbsent(p.key(), p.keySpan());
            if (prev != null) {
                diags.add(Diagnostic.error(p.keySpan(), "target property '" + p.key() + "' is set twice").withNote(prev, "first set here"));
                continue;
            }
            Value v;
            try {
                v = elab.evalInModule(module, p.value());
            } catch (EvalError e) {
                diags.add(e.diagnostic);
                continue;
            } catch (Silent e) {
                continue;
            }
            boolean ok = switch (p.key()) {
                case "core", "board", "qemu" -> v instanceof Value.StrV;
                case "fpu" -> v instanceof Value.BoolV;
                case "clock" -> (v instanceof Value.IntV i && i.v() > 0) || (v instanceof Value.FloatV f && f.v() > 0);
                default -> v instanceof Value.IntV i && i.v() > 0;
            };
            // a quantity's unit says what it measures: 2ms is no clock, 216MHz no memory size
            String kind = p.value() instanceof Expr.QuantityLit q ? q.unit().endsWith("Hz") ? "a frequency" : q.unit().endsWith("B") ? "a size" : "a time" : null;
            String wanted = switch (p.key()) { case "sram", "flash" -> "a size"; case "clock" -> "a frequency"; default -> null; };
            if (kind != null && wanted != null && !kind.equals(wanted)) {
                Span at = p.value().span();
                diags.error(at, "target property '" + p.key() + "' must be " + KEYS.get(p.key()) + ", got "
                        + at.file().text().substring(at.start(), at.end()) + ", which is " + kind);
            } else if (!ok) {
                diags.error(p.value().span(), "target property '" + p.key() + "' must be " + KEYS.get(p.key()) + ", got "
                        + Value.typeName(v) + " " + Value.show(v));
            } else if (p.key().equals("core") && !CORES.contains(((Value.StrV) v).v())) {
                String core = ((Value.StrV) v).v();
                String hint = Suggest.closest(core, CORES).map(x -> "; did you mean '" + x + "'?").orElse("");
                diags.error(p.value().span(), "unknown core '" + core + "'" + hint + " (known: " + String.join(", ", CORES) + ")");
            }
        }
        for (String required : List.of("core", "sram", "flash")) {
            if (!seen.containsKey(required)) diags.error(target.nameSpan(), "target '" + target.name() + "' does not set '" + required + "'");
        }
    }
}
