package tml.ir.quantum;

/** An undirected coupling between physical qubits {@code a} and {@code b} with its two-qubit gate error rate. */
public record Coupling(int a, int b, double error) {
    public Coupling {
        if (a == b || a < 0 || b < 0) throw new IllegalArgumentException("bad coupling " + a + "-" + b);
        if (!(error >= 0 && error <= 1)) throw new IllegalArgumentException("error rate must be in [0, 1]: " + error);
    }

    public boolean joins(int p, int q) { return (a == p && b == q) || (a == q && b == p); }
}
