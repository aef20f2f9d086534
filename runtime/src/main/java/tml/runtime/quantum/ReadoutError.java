package tml.runtime.quantum;

/**
 * Classical readout error of one qubit: the probability of reading 1 when the qubit is 0, and
 * of reading 0 when it is 1.
 */
public record ReadoutError(double prob1Given0, double prob0Given1) {
    public static final ReadoutError NONE = new ReadoutError(0, 0);

    public ReadoutError {
        if (!(prob1Given0 >= 0 && prob1Given0 <= 1 && prob0Given1 >= 0 && prob0Given1 <= 1))
            throw new IllegalArgumentException("readout error probabilities must be in [0, 1]");
    }

    public static ReadoutError symmetric(double p) { return new ReadoutError(p, p); }

    public boolean isNone() { return prob1Given0 == 0 && prob0Given1 == 0; }
}
