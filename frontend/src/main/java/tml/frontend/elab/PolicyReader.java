package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Expr;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;

/**
 * Evaluates a policy declaration ({@code train}, {@code searchspace}, {@code quantize}, ...) into plain
 * Java values, for the components that give policies their meaning. Property values become Long,
 * Double, Boolean, String or ImmutableList of those; sections become nested {@link Policy}s.
 */
public final class PolicyReader {
    private PolicyReader() {}

    /** One evaluated property, with where it was written (for diagnostics by the consumer). */
    public record Property(Object value, Span span, Optional<String> selector) {}

    public record Policy(String kind, String name, Span nameSpan, Optional<String> subject, Optional<Span> subjectSpan,
                         ImmutableMap<String, Property> properties, ImmutableMap<String, Policy> sections) {
        public Optional<Object> get(String key) { return Optional.ofNullable(properties.get(key)).map(Property::value); }
    }

    public static Optional<Policy> read(Decl.Policy decl, ModuleEnv module, Diagnostics diags) {
        int before = diags.errorCount();
        Elaborator elab = new Elaborator(diags);
        Optional<String> subject = decl.subject().map(e -> e instanceof Expr.Name n ? n.name() : null);
        if (decl.subject().isPresent() && subject.isEmpty()) {
            diags.error(decl.subject().get().span(), "the subject after 'for' must be the name of a network or circuit");
        }
        Policy p = section(decl.kind(), decl.name(), decl.nameSpan(), subject, decl.subject().map(Expr::span), decl.body().stmts(), elab, module, diags);
        return diags.errorCount() == before ? Optional.of(p) : Optional.empty();
    }

    private static Policy section(String kind, String name, Span nameSpan, Optional<String> subject, Optional<Span> subjectSpan,
                                  java.util.List<Stmt> stmts, Elaborator elab, ModuleEnv module, Diagnostics diags) {
        Map<String, Property> props = new LinkedHashMap<>();
        Map<String, Policy> sections = new LinkedHashMap<>();
        for (Stmt s : stmts) {
            switch (s) {
                case Stmt.Property p -> {
                    String key = p.key() + p.selector().map(x -> " \"" + x + "\"").orElse("");
                    if (props.containsKey(key)) {
                        diags.add(Diagnostic.error(p.keySpan(), "'" + key + "' is set twice").withNote(props.get(key).span(), "first set here"));
                        continue;
                    }
                    try {
                        props.put(key, new Property(plain(elab.evalInModule(module, p.value()), p.value().span()), p.value().span(), p.selector()));
                    } catch (EvalError e) {
                        diags.add(e.diagnostic);
                    } catch (Silent e) {
                        // reported
                    }
                }
                case Stmt.Section sec -> {
                    if (sections.containsKey(sec.key())) {
                        diags.error(sec.keySpan(), "section '" + sec.key() + "' appears twice");
                        continue;
                    }
                    sections.put(sec.key(), section(kind, sec.key(), sec.keySpan(), Optional.empty(), Optional.empty(), sec.body().stmts(), elab, module, diags));
                }
                default -> diags.error(s.span(), "a " + kind + " declaration holds properties 'key = value' and sections 'key { ... }'");
            }
        }
        return new Policy(kind, name, nameSpan, subject, subjectSpan, ImmutableMap.copyOf(props), ImmutableMap.copyOf(sections));
    }

    private static Object plain(Value v, Span at) {
        return switch (v) {
            case Value.IntV i -> i.v();
            case Value.FloatV f -> f.v();
            case Value.BoolV b -> b.v();
            case Value.StrV s -> s.v();
            case Value.ListV l -> l.items().stream().map(x -> plain(x, at)).collect(ImmutableList.toImmutableList());
            case Value.TupleV t -> t.items().stream().map(x -> plain(x, at)).collect(ImmutableList.toImmutableList());
            default -> throw new EvalError(at, "a policy property must be a number, bool, string or list, got " + Value.typeName(v));
        };
    }
}
