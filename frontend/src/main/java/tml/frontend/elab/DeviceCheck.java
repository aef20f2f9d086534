package tml.frontend.elab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;
import tml.ir.quantum.Device;

/**
 * Checks a quantum {@code device} declaration and turns it into the quantum IR's {@link Device}:
 * <pre>
 * device lima { qubits = 5  coupling = [(0, 1), (1, 2), (1, 3), (3, 4)]
 *               error_1q = 0.0005  error_2q = 0.01  readout_error = 0.03 }
 * </pre>
 */
public final class DeviceCheck {
    private DeviceCheck() {}

    private static final Map<String, String> KEYS = Map.of(
            "qubits", "a positive int",
            "coupling", "a list of qubit pairs such as [(0, 1), (1, 2)]",
            "error_1q", "a probability (single-qubit gate error)",
            "error_2q", "a probability (two-qubit gate error)",
            "readout_error", "a probability (measurement error)");

    public static Optional<Device> device(Decl.Policy decl, Elaborator elab, ModuleEnv module, Diagnostics diags) {
        int before = diags.errorCount();
        Map<String, Value> values = new HashMap<>();
        Map<String, Span> spans = new HashMap<>();
        for (Stmt s : decl.body().stmts()) {
            if (!(s instanceof Stmt.Property p)) {
                diags.error(s.span(), "a device holds only properties 'key = value' (" + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            if (!KEYS.containsKey(p.key())) {
                diags.error(p.keySpan(), "unknown device property '" + p.key() + "'"
                        + Suggest.closest(p.key(), KEYS.keySet()).map(x -> "; did you mean '" + x + "'?").orElse(""));
                continue;
            }
            if (spans.containsKey(p.key())) {
                diags.add(Diagnostic.error(p.keySpan(), "device property '" + p.key() + "' is set twice").withNote(spans.get(p.key()), "first set here"));
                continue;
            }
            spans.put(p.key(), p.value().span());
            try {
                values.put(p.key(), elab.evalInModule(module, p.value()));
            } catch (EvalError e) {
                diags.add(e.diagnostic);
            } catch (Silent e) {
                // reported
            }
        }
        if (!spans.containsKey("qubits")) diags.error(decl.nameSpan(), "device '" + decl.name() + "' does not set 'qubits'");
        if (diags.errorCount() != before) return Optional.empty();
        if (!(values.get("qubits") instanceof Value.IntV n) || n.v() <= 0 || n.v() > 1000) {
            diags.error(spans.get("qubits"), "'qubits' must be " + KEYS.get("qubits"));
            return Optional.empty();
        }
        double[] rates = new double[3];
        String[] rateKeys = {"error_1q", "error_2q", "readout_error"};
        for (int i = 0; i < 3; i++) {
            Value v = values.get(rateKeys[i]);
            if (v == null) continue;
            double r = v instanceof Value.IntV iv ? iv.v() : v instanceof Value.FloatV fv ? fv.v() : -1;
            if (!(r >= 0 && r <= 1)) {
                diags.error(spans.get(rateKeys[i]), "'" + rateKeys[i] + "' must be " + KEYS.get(rateKeys[i]) + ", got " + Value.show(v));
                return Optional.empty();
            }
            rates[i] = r;
        }
        List<Integer> pairs = new ArrayList<>();
        Value coupling = values.get("coupling");
        if (coupling != null) {
            if (!(coupling instanceof Value.ListV list)) {
                diags.error(spans.get("coupling"), "'coupling' must be " + KEYS.get("coupling"));
                return Optional.empty();
            }
            for (Value pair : list.items()) {
                if (!(pair instanceof Value.TupleV t) || t.items().size() != 2 || !(t.items().get(0) instanceof Value.IntV a)
                        || !(t.items().get(1) instanceof Value.IntV b) || a.v() < 0 || b.v() < 0 || a.v() >= n.v() || b.v() >= n.v() || a.v() == b.v()) {
                    diags.error(spans.get("coupling"), "'coupling' must list pairs of distinct qubits below " + n.v() + ", got " + Value.show(pair));
                    return Optional.empty();
                }
                pairs.add((int) a.v());
                pairs.add((int) b.v());
            }
        } else {
            for (int a = 0; a < n.v(); a++) for (int b = a + 1; b < n.v(); b++) { pairs.add(a); pairs.add(b); }
        }
        return Optional.of(Device.of(decl.name(), (int) n.v(), rates[0], rates[1], rates[2], pairs.stream().mapToInt(Integer::intValue).toArray()));
    }
}
