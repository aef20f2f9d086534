package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tml.ir.quantum.Circuit;

/**
 * The search on 4-bit parity, a task where depth matters: with one block the readout qubit never
 * sees the other qubits' bits, so one-layer SubCircuits stay at chance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvolutionarySearchTest {
    private final SuperCircuit sc = new SuperCircuit(TestCircuits.space(List.of(1L, 2L, 3L), List.of(2L, 3L)), TestCircuits.family(4, true));
    private final SyntheticTask task = SyntheticTask.parity(4, 150, 60, 0.3, 1);
    private final Readout readout = new Readout(2, 5);
    private SharedWeights weights;

    @BeforeAll void trainSuperCircuit() {
        weights = SharedWeights.random(sc.circuit().params(), Math.PI, 0);
        try (ExactLoss loss = new ExactLoss(readout)) {
            SuperCircuitTrainer.train(sc, weights, task.train(), loss, TrainOptions.defaults(0).withSteps(250), s -> {});
        }
    }

    private EvolutionarySearch search() { return new EvolutionarySearch(sc, weights, new NoisyEvaluator(TestCircuits.LIMA, readout), task.validation()); }

    @Test void deterministicForASeedAndReportsEachGeneration() {
        EvolutionOptions o = new EvolutionOptions(6, 3, 0.3, 4);
        StringBuilder log1 = new StringBuilder(), log2 = new StringBuilder();
        SearchResult a = search().run(o, s -> log1.append(s).append('\n'));
        SearchResult b = search().run(o, s -> log2.append(s).append('\n'));
        assertEquals(a.best(), b.best());
        assertEquals(a.bestPerGeneration(), b.bestPerGeneration());
        assertEquals(log1.toString(), log2.toString());
        assertEquals(3, log1.toString().lines().filter(l -> l.startsWith("generation ")).count());
        for (int g = 1; g < a.bestPerGeneration().size(); g++) {
            assertTrue(a.bestPerGeneration().get(g).compareTo(a.bestPerGeneration().get(g - 1)) <= 0, "the best never gets worse");
        }
    }

    @Test void findsAConfigurationAtLeastAsGoodAsRandomOnesAndDepthMatters() {
        EvolutionarySearch s = search();
        SearchResult r = s.run(new EvolutionOptions(8, 4, 0.3, 0), x -> {});
        Score best = r.evaluation().score();
        SplittableRandom rng = new SplittableRandom(99);
        for (int i = 0; i < 10; i++) {
            Candidate random = new Candidate(sc.space().random(rng), EvolutionarySearch.permutation(5, rng));
            Score other = s.evaluate(random).score();
            assertTrue(best.compareTo(other) <= 0, "random " + random + " scored " + other + ", better than the search's " + best);
        }
        Score shallow = s.evaluate(new Candidate(sc.space().smallest(), ImmutableList.of(0, 1, 2, 3, 4))).score();
        assertTrue(shallow.accuracy() < 0.7, "one layer cannot compute parity: " + shallow);
        assertTrue(best.accuracy() > 0.9, "found " + r.best() + " " + best);
        assertTrue((Long) r.best().config().get("layers") >= 2);
    }

    @Test void pruningNeverAddsGatesAndKeepsAccuracyWithinFivePoints() {
        EvolutionarySearch s = search();
        SearchResult r = s.run(new EvolutionOptions(6, 2, 0.3, 0), x -> {});
        Circuit sub = sc.subCircuit(r.best().config());
        NoisyEvaluator ev = new NoisyEvaluator(TestCircuits.LIMA, readout);
        PruneResult p;
        try (ExactLoss loss = new ExactLoss(readout)) {
            p = GatePruner.run(sub, weights, task.train(), task.validation(), loss, ev, r.best().layout(sub.numQubits()),
                    new PruneOptions(0.5, 3, TrainOptions.defaults(1).withSteps(40)), x -> {});
        }
        List<PruneStep> kept = p.rounds().stream().filter(PruneStep::kept).toList();
        assertTrue(kept.size() >= 2, "at least one round is kept: " + p.rounds());
        for (int i = 1; i < kept.size(); i++) {
            PruneStep prev = kept.get(i - 1), now = kept.get(i);
            assertTrue(now.logical().total() < prev.logical().total());
            assertTrue(now.logical().twoQubit() <= prev.logical().twoQubit());
            assertTrue(now.routed().total() <= prev.routed().total());
        }
        assertTrue(p.rounds().stream().allMatch(x -> x.logical().total() <= sub.gates().size()));
        assertEquals(sub.gates().size() - p.after().removed(), p.circuit().gates().size());
        // the stated tolerance: noise-free validation accuracy at most 0.02 below the unpruned circuit's
        assertTrue(p.after().exact().accuracy() >= p.before().exact().accuracy() - PruneOptions.DEFAULT_TOLERANCE, p.before() + " -> " + p.after());
        assertTrue(p.after().noisy().accuracy() >= p.before().noisy().accuracy() - 0.05, p.before() + " -> " + p.after());
        // the pruned circuit names only weights it uses, and they are fine-tuned copies (the SuperCircuit's are untouched)
        assertTrue(p.circuit().params().size() < sub.params().size());
        assertTrue(sub.params().containsAll(p.circuit().params()));
    }
}
