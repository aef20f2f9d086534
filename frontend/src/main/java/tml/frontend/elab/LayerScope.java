package tml.frontend.elab;

import java.util.HashMap;
import java.util.Map;

/**
 * A naming scope for layers: the network itself, a block call, or a named seq. Hands out local names:
 * a label if given, else the seq index, else {@code <kind>_<k>}. An unnamed seq numbers its stages in
 * the scope it stands in ({@link #sequentialView}), sharing that scope's counters.
 */
final class LayerScope {
    private static final class Counters {
        final Map<String, Integer> auto = new HashMap<>();
        int nextIndex;
    }

    private final String path;
    private final Counters counters;
    private final boolean sequential;

    LayerScope(String path, boolean sequential) {
        this(path, new Counters(), sequential);
    }

    private LayerScope(String path, Counters counters, boolean sequential) {
        this.path = path;
        this.counters = counters;
        this.sequential = sequential;
    }

    String path() { return path; }

    boolean sequential() { return sequential; }

    /** The full name of a child: {@code path.local}, or {@code local} at the top. */
    String qualify(String local) { return path.isEmpty() ? local : path + "." + local; }

    /** The next automatic local name for a call of {@code kind} that is not a seq stage. */
    String autoName(String kind) {
        int k = counters.auto.merge(kind, 1, Integer::sum) - 1;
        return kind + "_" + k;
    }

    /** The index of the next stage of a seq. */
    String nextStage() { return Integer.toString(counters.nextIndex++); }

    LayerScope child(String local, boolean sequential) { return new LayerScope(qualify(local), new Counters(), sequential); }

    /** This same scope, numbering seq stages: what an unnamed seq uses. */
    LayerScope sequentialView() { return new LayerScope(path, counters, true); }
}
