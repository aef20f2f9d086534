package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The choices for each searched compile-time parameter of a SuperCircuit, in declaration order.
 * The largest configuration takes the maximum of every numeric dimension (the last listed value
 * otherwise); it is the one elaborated as the SuperCircuit.
 */
public record SearchSpace(ImmutableMap<String, ImmutableList<Object>> choices) {
    public SearchSpace {
        if (choices.isEmpty()) throw new IllegalArgumentException("a search space needs at least one dimension");
        for (Map.Entry<String, ImmutableList<Object>> e : choices.entrySet()) {
            if (e.getValue().isEmpty()) throw new IllegalArgumentException("dimension '" + e.getKey() + "' has no choices");
            if (e.getValue().stream().distinct().count() != e.getValue().size()) {
                throw new IllegalArgumentException("dimension '" + e.getKey() + "' lists a choice twice");
            }
        }
    }

    public ImmutableList<String> dimensions() { return choices.keySet().asList(); }

    /** Number of configurations. */
    public long size() {
        long n = 1;
        for (ImmutableList<Object> c : choices.values()) n = Math.multiplyExact(n, c.size());
        return n;
    }

    public SubConfig largest() { return extreme(true); }

    public SubConfig smallest() { return extreme(false); }

    private SubConfig extreme(boolean largest) {
        ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
        choices.forEach((k, vs) -> {
            boolean numeric = vs.stream().allMatch(v -> v instanceof Number);
            Object pick = numeric
                    ? (largest ? vs.stream().max(NUMERIC).orElseThrow() : vs.stream().min(NUMERIC).orElseThrow())
                    : (largest ? vs.getLast() : vs.getFirst());
            b.put(k, pick);
        });
        return new SubConfig(b.buildOrThrow());
    }

    private static final Comparator<Object> NUMERIC = Comparator.comparingDouble(v -> ((Number) v).doubleValue());

    /** A uniformly random configuration. */
    public SubConfig random(SplittableRandom rng) {
        ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
        choices.forEach((k, vs) -> b.put(k, vs.get(rng.nextInt(vs.size()))));
        return new SubConfig(b.buildOrThrow());
    }

    /** The configuration with dimension {@code key} set to {@code value}. */
    public SubConfig with(SubConfig c, String key, Object value) {
        if (!choices.containsKey(key) || !choices.get(key).contains(value)) {
            throw new IllegalArgumentException(key + "=" + value + " is not a choice of this search space");
        }
        ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
        choices.keySet().forEach(k -> b.put(k, k.equals(key) ? value : c.get(k)));
        return new SubConfig(b.buildOrThrow());
    }

    /** Every configuration, the first dimension varying slowest. */
    public ImmutableList<SubConfig> all() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(Map.of());
        for (Map.Entry<String, ImmutableList<Object>> e : choices.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : e.getValue()) {
                    ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
                    b.putAll(partial).put(e.getKey(), v);
                    next.add(b.buildOrThrow());
                }
            }
            out = next;
        }
        return out.stream().map(m -> new SubConfig(ImmutableMap.copyOf(m))).collect(ImmutableList.toImmutableList());
    }
}
