package tml.frontend.elab;

import java.util.HashMap;
import java.util.Map;

/**
 * A naming scope for layers: the network itself, a block call, or a seq. Hands out local names:
 * a label if given, else the seq index, else {@code <kind>_<k>}.
 */
final class LayerScope {
    private final String path;
    private final Map<String, Integer> counters = new HashMap<>();
    private final boolean sequential;
    private int nextIndex;

    LayerScope(String path, boolean sequential) {
        this.path = path;
        this.sequential = sequential;
    }

    String path() { return path; }

    boolean sequential() { return sequential; }

    /** The full name of a child: {@code path.local}, or {@code local} at the top. */
    String qualify(String local) { return path.isEmpty() ? local : path + "." + local; }

    /** The next automatic local name for a call of {@code kind} outside a seq. */
    String autoName(String kind) {
        int k = counters.merge(kind, 1, Integer::sum) - 1;
        return kind + "_" + k;
    }

    /** The index of the next stage of a seq. */
    String nextStage() { return Integer.toString(nextIndex++); }

    LayerScope child(String local, boolean sequential) { return new LayerScope(qualify(local), sequential); }
}
