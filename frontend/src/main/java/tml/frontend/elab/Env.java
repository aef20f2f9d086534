package tml.frontend.elab;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A lexical scope of compile-time bindings; the outermost is the module's. */
final class Env {
    private final Env parent;
    private final ModuleEnv module;
    private final Map<String, Value> vars = new HashMap<>();

    Env(ModuleEnv module) { this(null, module); }

    private Env(Env parent, ModuleEnv module) {
        this.parent = parent;
        this.module = module;
    }

    Env child() { return new Env(this, module); }

    ModuleEnv module() { return module; }

    void define(String name, Value v) { vars.put(name, v); }

    Optional<Value> lookupLocal(String name) {
        for (Env e = this; e != null; e = e.parent) {
            Value v = e.vars.get(name);
            if (v != null) return Optional.of(v);
        }
        return Optional.empty();
    }

    Set<String> localNames() {
        Set<String> names = new TreeSet<>();
        for (Env e = this; e != null; e = e.parent) names.addAll(e.vars.keySet());
        return names;
    }
}
