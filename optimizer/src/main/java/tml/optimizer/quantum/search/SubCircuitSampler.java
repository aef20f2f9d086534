package tml.optimizer.quantum.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks the SubCircuit trained at each SuperCircuit step. {@code RANDOM} draws every dimension
 * uniformly; {@code RESTRICTED} (QuantumNAS's restricted sampling) re-draws at most
 * {@code restrict} dimensions of the previous sample, so consecutive SubCircuits stay close.
 * Either way the SubCircuit is the front of the SuperCircuit (its first layers, first qubits),
 * since it inherits the weights its parameter names share (front sampling).
 */
public final class SubCircuitSampler {
    public enum Mode { RANDOM, RESTRICTED }

    private final SearchSpace space;
    private final Mode mode;
    private final int restrict;
    private final SplittableRandom rng;
    private SubConfig previous;

    public SubCircuitSampler(SearchSpace space, Mode mode, int restrict, long seed) {
        if (mode == Mode.RESTRICTED && restrict < 1) throw new IllegalArgumentException("restricted sampling changes at least one dimension");
        this.space = space;
        this.mode = mode;
        this.restrict = restrict;
        this.rng = new SplittableRandom(seed);
    }

    public SubConfig next() {
        if (mode == Mode.RANDOM || previous == null) {
            previous = space.random(rng);
            return previous;
        }
        List<String> dims = new ArrayList<>(space.dimensions());
        SubConfig c = previous;
        int changes = 1 + rng.nextInt(Math.min(restrict, dims.size()));
        for (int k = 0; k < changes; k++) {
            String d = dims.remove(rng.nextInt(dims.size()));
            var choices = space.choices().get(d);
            c = space.with(c, d, choices.get(rng.nextInt(choices.size())));
        }
        previous = c;
        return c;
    }
}
