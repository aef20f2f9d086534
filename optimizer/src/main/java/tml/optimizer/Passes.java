package tml.optimizer;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.function.Function;
import tml.optimizer.graph.ChooseLayout;
import tml.optimizer.graph.EliminateCommonSubexpressions;
import tml.optimizer.graph.EliminateDeadCode;
import tml.optimizer.graph.FoldBatchNorm;
import tml.optimizer.graph.FoldConstants;
import tml.optimizer.graph.FuseActivation;
import tml.optimizer.graph.FuseElementwise;

/** The graph passes by name, and the pipeline of each optimization level. */
public final class Passes {
    private Passes() {}

    /** Every pass by its name (in the order the -O3 pipeline first runs them, but dead code last); the argument is the target name. */
    private static final ImmutableMap<String, Function<String, Pass>> BY_NAME = ImmutableMap.<String, Function<String, Pass>>builder()
            .put(EliminateCommonSubexpressions.NAME, t -> new EliminateCommonSubexpressions())
            .put(FoldConstants.NAME, t -> new FoldConstants())
            .put(FoldBatchNorm.NAME, t -> new FoldBatchNorm())
            .put(FuseElementwise.NAME, t -> new FuseElementwise())
            .put(FuseActivation.NAME, t -> new FuseActivation())
            .put(ChooseLayout.NAME, ChooseLayout::new)
            .put(EliminateDeadCode.NAME, t -> new EliminateDeadCode())
            .buildOrThrow();

    public static final int MAX_LEVEL = 3;

    /**
     * Dead code goes first too: a dead user would keep a producer from fusing (and the second run of a
     * pipeline would then find more to do). Every level's pipeline is idempotent.
     */
    private static final ImmutableList<ImmutableList<String>> PIPELINES = ImmutableList.of(
            ImmutableList.of(),
            ImmutableList.of(EliminateDeadCode.NAME, EliminateCommonSubexpressions.NAME, FoldConstants.NAME, EliminateDeadCode.NAME),
            ImmutableList.of(EliminateDeadCode.NAME, EliminateCommonSubexpressions.NAME, FoldConstants.NAME, FoldBatchNorm.NAME,
                    FuseActivation.NAME, EliminateDeadCode.NAME),
            ImmutableList.of(EliminateDeadCode.NAME, EliminateCommonSubexpressions.NAME, FoldConstants.NAME, FoldBatchNorm.NAME,
                    FuseElementwise.NAME, FuseActivation.NAME, ChooseLayout.NAME, EliminateDeadCode.NAME));

    /** The names of all passes. */
    public static ImmutableList<String> names() { return BY_NAME.keySet().asList(); }

    public static boolean exists(String name) { return BY_NAME.containsKey(name); }

    /** The pass called {@code name} for {@code target} (only choose-layout depends on it). */
    public static Pass create(String name, String target) {
        Function<String, Pass> f = BY_NAME.get(name);
        if (f == null) throw new IllegalArgumentException(unknown(name));
        return f.apply(target);
    }

    /** The pass names of optimization level 0 to {@link #MAX_LEVEL}. */
    public static ImmutableList<String> pipeline(int level) {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("optimization level must be 0 to " + MAX_LEVEL + ", got " + level);
        }
        return PIPELINES.get(level);
    }

    /** "unknown pass 'x' (did you mean 'y'?); known passes: ..." */
    static String unknown(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : BY_NAME.keySet()) {
            int d = distance(name, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        String hint = best != null && bestDistance <= Math.max(2, name.length() / 3) ? " (did you mean '" + best + "'?)" : "";
        return "unknown pass '" + name + "'" + hint + "; known passes: " + String.join(", ", BY_NAME.keySet());
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1), Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
