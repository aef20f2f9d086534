package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.Symbol;
import tml.ir.quantum.Term;

/**
 * QuantumNAS stage 3: iterative magnitude-based gate pruning. A trainable rotation is a gate
 * whose angles all depend on parameters only (never on inputs: encoders stay); its magnitude is
 * the distance of its matrix from the identity, up to global phase, at the current weights (so
 * rx(2π) = −I counts as zero, a controlled rotation by 2π does not). Each round removes the
 * smallest-magnitude rotations up to that round's share of {@code ratio}, then fine-tunes the
 * remaining weights on the fixed circuit. Gates are only ever removed. A round that costs more
 * than the tolerance in noise-free validation accuracy is undone and ends the pruning.
 */
public final class GatePruner {
    private GatePruner() {}

    public static PruneResult run(Circuit circuit, SharedWeights inherited, Dataset train, Dataset validation, ExactLoss loss,
                                  NoisyEvaluator evaluator, List<Integer> layout, PruneOptions o, Consumer<String> progress) {
        SharedWeights w = inherited.copy();
        Circuit c = circuit;
        int prunable = prunableIndices(c).size();
        int total = (int) Math.round(o.ratio() * prunable);
        List<PruneStep> rounds = new ArrayList<>();
        rounds.add(measure(0, 0, c, w, validation, loss, evaluator, layout, true));
        progress.accept(describe(rounds.getLast(), prunable));
        double floor = rounds.getFirst().exact().accuracy() - o.tolerance();
        int removed = 0;
        for (int r = 1; r <= o.steps(); r++) {
            int target = (int) Math.round((double) total * r / o.steps());
            Circuit next = removeSmallest(c, w, target - removed);
            SharedWeights tuned = w.copy();
            if (o.finetune().steps() > 0) {
                Trainer.fit(() -> next, tuned, train, loss, o.finetune().withSeed(o.finetune().seed() + r), "prune round " + r + " fine-tune", progress);
            }
            PruneStep step = measure(r, target, next, tuned, validation, loss, evaluator, layout, true);
            if (step.exact().accuracy() < floor - 1e-12) {
                rounds.add(new PruneStep(r, target, step.logical(), step.routed(), step.exact(), step.noisy(), false));
                progress.accept(describe(rounds.getLast(), prunable) + String.format(Locale.ROOT,
                        " -- undone: below %.3f (unpruned accuracy minus tolerance %.3f); pruning stops", floor, o.tolerance()));
                break;
            }
            c = next;
            w = tuned;
            removed = target;
            rounds.add(step);
            progress.accept(describe(step, prunable));
        }
        return new PruneResult(withoutUnusedParams(c), w, ImmutableList.copyOf(rounds));
    }

    private static String describe(PruneStep s, int prunable) {
        return String.format(Locale.ROOT, "prune round %d: %d of %d rotations removed, %s, routed %s; accuracy %.3f noise-free, %.3f on device",
                s.round(), s.removed(), prunable, s.logical(), s.routed(), s.exact().accuracy(), s.noisy().accuracy());
    }

    private static PruneStep measure(int round, int removed, Circuit c, SharedWeights w, Dataset validation, ExactLoss loss,
                                     NoisyEvaluator evaluator, List<Integer> layout, boolean kept) {
        double[] p = w.valuesFor(c);
        NoisyEvaluation noisy = evaluator.evaluate(c, p, layout, validation);
        return new PruneStep(round, removed, noisy.logical(), noisy.routed(), loss.score(c, p, validation), noisy.score(), kept);
    }

    /** Indices in {@code c.ops()} of the trainable rotations. */
    static List<Integer> prunableIndices(Circuit c) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < c.ops().size(); i++) if (c.ops().get(i) instanceof Op.Gate g && isTrainableRotation(g)) out.add(i);
        return out;
    }

    static boolean isTrainableRotation(Op.Gate g) {
        if (g.angles().isEmpty()) return false;
        for (Angle a : g.angles()) {
            if (a.isConstant()) return false;
            for (Term t : a.terms()) if (!(t.symbol() instanceof Symbol.Param)) return false;
        }
        return true;
    }

    /** Distance of the gate's matrix at these weights from the identity, up to global phase. */
    static double magnitude(Op.Gate g, ParamBinding b) {
        ComplexMatrix m = Gates.matrix(g.kind(), b.angles(g));
        return m.distanceUpToPhase(ComplexMatrix.identity(m.dim()));
    }

    private static Circuit removeSmallest(Circuit c, SharedWeights w, int count) {
        if (count <= 0) return c;
        ParamBinding b = ParamBinding.of(c, w.valuesFor(c), new double[c.numInputs()]);
        List<Integer> idx = prunableIndices(c);
        idx.sort(Comparator.<Integer>comparingDouble(i -> magnitude((Op.Gate) c.ops().get(i), b)).thenComparingInt(i -> i));
        Set<Integer> drop = new HashSet<>(idx.subList(0, Math.min(count, idx.size())));
        List<Op> kept = new ArrayList<>();
        for (int i = 0; i < c.ops().size(); i++) if (!drop.contains(i)) kept.add(c.ops().get(i));
        return c.withOps(ImmutableList.copyOf(kept));
    }

    /** The circuit with only the parameters some angle still uses (in their original order). */
    public static Circuit withoutUnusedParams(Circuit c) {
        Set<String> used = new LinkedHashSet<>();
        for (Op op : c.ops()) {
            Op body = op instanceof Op.Conditional k ? k.body() : op;
            if (body instanceof Op.Gate g) for (Angle a : g.angles()) for (Term t : a.terms()) if (t.symbol() instanceof Symbol.Param p) used.add(p.name());
        }
        ImmutableList<String> params = c.params().stream().filter(used::contains).collect(ImmutableList.toImmutableList());
        return new Circuit(c.name(), c.numQubits(), c.numClbits(), params, c.numInputs(), c.ops());
    }
}
