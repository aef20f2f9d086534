package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import tml.ir.quantum.Circuit;

/**
 * The SuperCircuit's trainable angles, by parameter name. A SubCircuit reads and updates the
 * entries its parameters name: this is the weight sharing of QuantumNAS.
 */
public final class SharedWeights {
    private final ImmutableMap<String, Integer> index;
    private final double[] values;

    private SharedWeights(ImmutableMap<String, Integer> index, double[] values) {
        this.index = index;
        this.values = values;
    }

    /** Seeded uniform angles in [−scale, scale]. */
    public static SharedWeights random(ImmutableList<String> names, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[names.size()];
        for (int i = 0; i < v.length; i++) v[i] = (2 * rng.nextDouble() - 1) * scale;
        return new SharedWeights(indexOf(names), v);
    }

    public static SharedWeights of(ImmutableList<String> names, double[] values) {
        if (names.size() != values.length) throw new IllegalArgumentException(names.size() + " names, " + values.length + " values");
        return new SharedWeights(indexOf(names), values.clone());
    }

    private static ImmutableMap<String, Integer> indexOf(ImmutableList<String> names) {
        ImmutableMap.Builder<String, Integer> b = ImmutableMap.builder();
        for (int i = 0; i < names.size(); i++) b.put(names.get(i), i);
        return b.buildOrThrow();
    }

    public SharedWeights copy() { return new SharedWeights(index, values.clone()); }

    public int size() { return values.length; }

    public ImmutableList<String> names() { return index.keySet().asList(); }

    public double get(String name) { return values[slot(name)]; }

    /** Position of a parameter name; throws when it is not shared here. */
    public int slot(String name) {
        Integer i = index.get(name);
        if (i == null) throw new IllegalArgumentException("no shared weight named '" + name + "'");
        return i;
    }

    /** The values of a circuit's parameters, in {@code c.params()} order (inherited by name). */
    public double[] valuesFor(Circuit c) {
        double[] v = new double[c.params().size()];
        for (int i = 0; i < v.length; i++) v[i] = values[slot(c.params().get(i))];
        return v;
    }

    /** Slots of a circuit's parameters, in {@code c.params()} order. */
    public int[] slotsFor(Circuit c) {
        int[] s = new int[c.params().size()];
        for (int i = 0; i < s.length; i++) s[i] = slot(c.params().get(i));
        return s;
    }

    void add(int slot, double delta) { values[slot] += delta; }

    public void set(String name, double value) { values[slot(name)] = value; }

    /** Name → value, in SuperCircuit order. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        index.forEach((k, i) -> m.put(k, values[i]));
        return m;
    }
}
