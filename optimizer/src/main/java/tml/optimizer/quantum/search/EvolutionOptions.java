package tml.optimizer.quantum.search;

/**
 * Settings of the evolutionary search: population size, generations, the probability with which
 * mutation re-draws each dimension and moves a mapped qubit, and the seed.
 */
public record EvolutionOptions(int population, int generations, double mutation, long seed) {
    public EvolutionOptions {
        if (population < 2) throw new IllegalArgumentException("the population needs at least 2 candidates");
        if (generations < 1) throw new IllegalArgumentException("the search needs at least one generation");
        if (!(mutation >= 0 && mutation <= 1)) throw new IllegalArgumentException("the mutation probability must be in [0, 1]");
    }

    /** Candidates kept as parents of the next generation: a quarter, at least 2. */
    public int parents() { return Math.max(2, (int) Math.round(population / 4.0)); }
}
