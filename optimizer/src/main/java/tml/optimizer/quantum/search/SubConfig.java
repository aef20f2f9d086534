package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableMap;
import java.util.stream.Collectors;

/**
 * One SubCircuit configuration: a value for each searched compile-time parameter of the circuit
 * (Long, Double, Boolean or String, as a policy property evaluates), in the search space's order.
 */
public record SubConfig(ImmutableMap<String, Object> values) {
    public SubConfig {
        for (Object v : values.values()) {
            if (!(v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String)) {
                throw new IllegalArgumentException("a configuration value is a Long, Double, Boolean or String, got " + v);
            }
        }
    }

    public Object get(String key) {
        Object v = values.get(key);
        if (v == null) throw new IllegalArgumentException("no parameter '" + key + "' in configuration " + this);
        return v;
    }

    /** {@code layers=2, width=3}. */
    @Override public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + show(e.getValue())).collect(Collectors.joining(", "));
    }

    static String show(Object v) { return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v); }
}
