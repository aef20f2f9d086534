package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tml.ir.quantum.Circuit;

/**
 * QuantumNAS stage 2: an evolutionary search over (SubCircuit configuration, qubit mapping).
 * Each candidate inherits its weights from the trained SuperCircuit and is scored by its
 * validation loss under the device's noise model ({@link NoisyEvaluator}); lower is better, ties
 * by accuracy, then by the candidate's text, so the search is deterministic for a seed. Each
 * generation keeps the best quarter as parents and fills the rest with mutants (each dimension
 * re-drawn and a mapped qubit moved, each with the mutation probability) and crossovers (each
 * dimension from either parent, the mapping from one). Candidates already scored are not simulated again.
 */
public final class EvolutionarySearch {
    private final SuperCircuit superCircuit;
    private final SharedWeights weights;
    private final NoisyEvaluator evaluator;
    private final Dataset validation;
    private final Map<String, NoisyEvaluation> seen = new HashMap<>();

    public EvolutionarySearch(SuperCircuit superCircuit, SharedWeights weights, NoisyEvaluator evaluator, Dataset validation) {
        this.superCircuit = superCircuit;
        this.weights = weights;
        this.evaluator = evaluator;
        this.validation = validation;
        if (superCircuit.circuit().numQubits() > evaluator.device().numQubits()) {
            throw new IllegalArgumentException("the SuperCircuit needs " + superCircuit.circuit().numQubits() + " qubits; device "
                    + evaluator.device().name() + " has " + evaluator.device().numQubits());
        }
    }

    /** The noisy evaluation of one candidate with inherited weights (memoised). */
    public NoisyEvaluation evaluate(Candidate c) {
        Circuit sub = superCircuit.subCircuit(c.config());
        return seen.computeIfAbsent(c.key(sub.numQubits()), k -> evaluator.evaluate(sub, weights.valuesFor(sub), c.layout(sub.numQubits()), validation));
    }

    public SearchResult run(EvolutionOptions o, Consumer<String> progress) {
        SplittableRandom rng = new SplittableRandom(o.seed());
        int phys = evaluator.device().numQubits();
        List<Candidate> population = new ArrayList<>();
        Map<String, Candidate> unique = new LinkedHashMap<>();
        for (int tries = 0; unique.size() < o.population() && tries < 20 * o.population(); tries++) {
            Candidate c = new Candidate(superCircuit.space().random(rng), permutation(phys, rng));
            unique.putIfAbsent(key(c), c);
        }
        population.addAll(unique.values());
        List<Score> history = new ArrayList<>();
        Candidate best = null;
        NoisyEvaluation bestEval = null;
        for (int g = 1; g <= o.generations(); g++) {
            Map<Candidate, NoisyEvaluation> scored = new LinkedHashMap<>();
            for (Candidate c : population) scored.put(c, evaluate(c));
            List<Candidate> ranked = new ArrayList<>(scored.keySet());
            ranked.sort(Comparator.<Candidate, Score>comparing(c -> scored.get(c).score(), Score::compareTo).thenComparing(this::key));
            Candidate top = ranked.get(0);
            if (best == null || better(top, scored.get(top), best, bestEval)) {
                best = top;
                bestEval = scored.get(top);
            }
            history.add(bestEval.score());
            progress.accept(String.format(Locale.ROOT, "generation %d/%d: best loss %.4f, accuracy %.3f  (%s, layout %s, %d two-qubit gates routed); %d candidates simulated",
                    g, o.generations(), bestEval.score().loss(), bestEval.score().accuracy(), best.config(),
                    bestEval.routing().initialLayout(), bestEval.routed().twoQubit(), seen.size()));
            if (g == o.generations()) break;
            population = nextGeneration(ranked, o, rng, phys);
        }
        return new SearchResult(best, bestEval, ImmutableList.copyOf(history), seen.size());
    }

    private boolean better(Candidate a, NoisyEvaluation ea, Candidate b, NoisyEvaluation eb) {
        int c = ea.score().compareTo(eb.score());
        return c < 0 || c == 0 && key(a).compareTo(key(b)) < 0;
    }

    private String key(Candidate c) { return c.key(superCircuit.subCircuit(c.config()).numQubits()); }

    private List<Candidate> nextGeneration(List<Candidate> ranked, EvolutionOptions o, SplittableRandom rng, int phys) {
        List<Candidate> parents = ranked.subList(0, Math.min(o.parents(), ranked.size()));
        Map<String, Candidate> next = new LinkedHashMap<>();
        for (Candidate p : parents) next.put(key(p), p);
        int mutants = (o.population() - parents.size() + 1) / 2;
        for (int tries = 0; next.size() < parents.size() + mutants && tries < 20 * o.population(); tries++) {
            Candidate c = mutate(parents.get(rng.nextInt(parents.size())), o.mutation(), rng, phys);
            next.putIfAbsent(key(c), c);
        }
        for (int tries = 0; next.size() < o.population() && tries < 20 * o.population(); tries++) {
            Candidate a = parents.get(rng.nextInt(parents.size())), b = parents.get(rng.nextInt(parents.size()));
            Candidate c = crossover(a, b, rng);
            if (next.containsKey(key(c))) c = mutate(c, o.mutation(), rng, phys);
            next.putIfAbsent(key(c), c);
        }
        return new ArrayList<>(next.values());
    }

    private Candidate mutate(Candidate p, double rate, SplittableRandom rng, int phys) {
        SubConfig config = p.config();
        SearchSpace space = superCircuit.space();
        for (String d : space.dimensions()) {
            var choices = space.choices().get(d);
            if (choices.size() > 1 && rng.nextDouble() < rate) {
                Object now = config.get(d), pick;
                do pick = choices.get(rng.nextInt(choices.size())); while (pick.equals(now));
                config = space.with(config, d, pick);
            }
        }
        List<Integer> mapping = new ArrayList<>(p.mapping());
        if (phys > 1 && rng.nextDouble() < rate) {
            int n = superCircuit.subCircuit(config).numQubits();
            int i = rng.nextInt(Math.max(1, n)), j;
            do j = rng.nextInt(phys); while (j == i);
            mapping.set(i, p.mapping().get(j));
            mapping.set(j, p.mapping().get(i));
        }
        return new Candidate(config, ImmutableList.copyOf(mapping));
    }

    private Candidate crossover(Candidate a, Candidate b, SplittableRandom rng) {
        SubConfig config = a.config();
        for (String d : superCircuit.space().dimensions()) if (rng.nextBoolean()) config = superCircuit.space().with(config, d, b.config().get(d));
        return new Candidate(config, rng.nextBoolean() ? a.mapping() : b.mapping());
    }

    static ImmutableList<Integer> permutation(int n, SplittableRandom rng) {
        return ImmutableList.copyOf(java.util.Arrays.stream(Trainer.permutation(n, rng)).boxed().toList());
    }
}
