package tml.runtime.quantum;

import java.util.concurrent.ForkJoinPool;

/** Expectation values of Pauli strings and their action on states, with deterministic parallel sums. */
final class PauliOps {
    private PauliOps() {}

    /** ⟨ψ|P|ψ⟩ (real for a Hermitian P). */
    static double expectation(ForkJoinPool pool, StateVector s, PauliString p) {
        checkWidth(s, p);
        final int x = p.xMask(), z = p.zMask(), ny = p.yCount() & 3;
        final double[] a = s.raw();
        double sum = ParallelLoops.sum(pool, s.size(), (lo, hi) -> {
            double acc = 0;
            for (int i = lo; i < hi; i++) {
                int j = i ^ x;
                // conj(ψ[j]) * ψ[i]
                double cr = a[2 * j] * a[2 * i] + a[2 * j + 1] * a[2 * i + 1];
                double ci = a[2 * j] * a[2 * i + 1] - a[2 * j + 1] * a[2 * i];
                double sign = (Integer.bitCount(i & z) & 1) == 0 ? 1 : -1;
                // real part of i^ny * (cr + i ci)
                acc += sign * switch (ny) {
                    case 0 -> cr;
                    case 1 -> -ci;
                    case 2 -> -cr;
                    default -> ci;
                };
            }
            return acc;
        });
        return p.coefficient() * sum;
    }

    static double expectation(ForkJoinPool pool, StateVector s, Observable o) {
        double e = 0;
        for (PauliString p : o.terms()) e += expectation(pool, s, p);
        return e;
    }

    /** O|ψ⟩ (a new, in general unnormalised state). */
    static StateVector apply(StateVector s, Observable o) {
        double[] out = new double[s.raw().length];
        double[] a = s.raw();
        for (PauliString p : o.terms()) {
            checkWidth(s, p);
            int x = p.xMask(), z = p.zMask(), ny = p.yCount() & 3;
            double c = p.coefficient();
            for (int i = 0; i < s.size(); i++) {
                int j = i ^ x;
                double sign = (Integer.bitCount(i & z) & 1) == 0 ? c : -c;
                double vr = a[2 * i] * sign, vi = a[2 * i + 1] * sign;
                // multiply by i^ny
                double rr, ri;
                switch (ny) {
                    case 0 -> { rr = vr; ri = vi; }
                    case 1 -> { rr = -vi; ri = vr; }
                    case 2 -> { rr = -vr; ri = -vi; }
                    default -> { rr = vi; ri = -vr; }
                }
                out[2 * j] += rr;
                out[2 * j + 1] += ri;
            }
        }
        return StateVector.wrap(s.numQubits(), out);
    }

    private static void checkWidth(StateVector s, PauliString p) {
        if (p.width() > s.numQubits()) throw new IllegalArgumentException("Pauli string on qubit " + (p.width() - 1) + " but the state has " + s.numQubits());
    }
}
