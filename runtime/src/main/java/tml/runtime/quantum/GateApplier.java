package tml.runtime.quantum;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;

/**
 * Applies gates and arbitrary small matrices to a {@link StateVector}, choosing the cheapest
 * kernel: a swap for x, a phase multiply for diagonal gates, a controlled 2×2 update for
 * controlled single-qubit gates, and a dense update otherwise. Work is split over the pool
 * (null: the calling thread).
 */
final class GateApplier {
    private final ForkJoinPool pool;
    private final int farQubit;

    GateApplier(ForkJoinPool pool) { this(pool, PairKernels.FAR_QUBIT); }

    /** @param farQubit pairs at least 2^farQubit amplitudes apart go through buffers (tests lower it) */
    GateApplier(ForkJoinPool pool, int farQubit) {
        this.pool = pool;
        this.farQubit = farQubit;
    }

    void apply(StateVector s, GateKind kind, double[] angles, List<Integer> qubitList) {
        int[] qubits = qubitList.stream().mapToInt(Integer::intValue).toArray();
        check(s, qubits);
        double[] a = s.raw();
        int n = s.numQubits();
        switch (kind) {
            case ID -> {}
            case X -> {
                int q = qubits[0];
                ParallelLoops.forRange(pool, 1 << (n - 1), (lo, hi) -> PairKernels.single(a, q, PairKernels.X, PairKernels.SWAP, farQubit, lo, hi));
            }
            case Z, S, SDG, T, TDG, RZ, P, U1, CZ, CP, CRZ, RZZ -> diagonal(s, qubits, Gates.matrix(kind, angles));
            case H, Y, SX, SXDG, RX, RY, U2, U3 -> single(s, qubits[0], Gates.matrix(kind, angles));
            case CX, CY, CH, CRX, CRY, CU3, CCX -> {
                int nc = kind.numControls();
                ComplexMatrix full = Gates.matrix(kind, angles);
                int cm = (1 << nc) - 1;
                double[] m = {full.re(cm, cm), full.im(cm, cm), full.re(cm, cm | 1 << nc), full.im(cm, cm | 1 << nc),
                        full.re(cm | 1 << nc, cm), full.im(cm | 1 << nc, cm), full.re(cm | 1 << nc, cm | 1 << nc), full.im(cm | 1 << nc, cm | 1 << nc)};
                int mask = 0;
                for (int c = 0; c < nc; c++) mask |= 1 << qubits[c];
                pairs(s, qubits, mask, 1 << qubits[nc], m);
            }
            case SWAP, CSWAP -> {
                // |..1..0..> <-> |..0..1..> on the swapped pair, where the control (if any) is set
                int nc = kind.numControls(), qa = qubits[nc], qb = qubits[nc + 1];
                int mask = 1 << qa;
                for (int c = 0; c < nc; c++) mask |= 1 << qubits[c];
                pairs(s, qubits, mask, (1 << qb) - (1 << qa), PairKernels.X);
            }
            case RXX, RYY -> dense(s, qubits, Gates.matrix(kind, angles));
        }
    }

    /**
     * A 2×2 matrix m on the pairs (i, i + partner) over the indices whose bits at {@code qubits} equal
     * {@code setMask} there (see {@link PairKernels#pairs}).
     */
    private void pairs(StateVector s, int[] qubits, int setMask, int partner, double[] m) {
        int[] sorted = qubits.clone();
        Arrays.sort(sorted);
        int cls = PairKernels.classify(m);
        double[] a = s.raw();
        ParallelLoops.forRange(pool, 1 << (s.numQubits() - sorted.length), (lo, hi) -> PairKernels.pairs(a, sorted, setMask, partner, m, cls, farQubit, lo, hi));
    }

    /** Any 2^k×2^k matrix (need not be unitary) on the given qubits, operand j = matrix bit j. */
    void applyMatrix(StateVector s, ComplexMatrix m, int[] qubits) {
        check(s, qubits);
        if (m.dim() != 1 << qubits.length) throw new IllegalArgumentException("matrix dimension " + m.dim() + " for " + qubits.length + " qubit(s)");
        if (isDiagonal(m)) diagonal(s, qubits, m);
        else if (qubits.length == 1) single(s, qubits[0], m);
        else dense(s, qubits, m);
    }

    private void single(StateVector s, int q, ComplexMatrix g) {
        double[] m = {g.re(0, 0), g.im(0, 0), g.re(0, 1), g.im(0, 1), g.re(1, 0), g.im(1, 0), g.re(1, 1), g.im(1, 1)};
        double[] a = s.raw();
        int cls = PairKernels.classify(m);
        ParallelLoops.forRange(pool, 1 << (s.numQubits() - 1), (lo, hi) -> PairKernels.single(a, q, m, cls, farQubit, lo, hi));
    }

    private void diagonal(StateVector s, int[] qubits, ComplexMatrix g) {
        double[] d = new double[2 * g.dim()];
        for (int i = 0; i < g.dim(); i++) {
            d[2 * i] = g.re(i, i);
            d[2 * i + 1] = g.im(i, i);
        }
        double[] a = s.raw();
        if (qubits.length == 1) {
            int q = qubits[0];
            ParallelLoops.forRange(pool, 1 << (s.numQubits() - 1), (lo, hi) -> Kernels.diagonal1(a, q, d, lo, hi));
        } else {
            ParallelLoops.forRange(pool, 1 << s.numQubits(), (lo, hi) -> Kernels.diagonal(a, qubits, d, lo, hi));
        }
    }

    private void dense(StateVector s, int[] qubits, ComplexMatrix g) {
        double[] mre = g.realParts(), mim = g.imagParts();
        int[] sorted = qubits.clone();
        Arrays.sort(sorted);
        double[] a = s.raw();
        ParallelLoops.forRange(pool, 1 << (s.numQubits() - qubits.length), (lo, hi) -> Kernels.dense(a, qubits, sorted, mre, mim, lo, hi));
    }

    private static boolean isDiagonal(ComplexMatrix m) {
        for (int r = 0; r < m.dim(); r++)
            for (int c = 0; c < m.dim(); c++) if (r != c && (m.re(r, c) != 0 || m.im(r, c) != 0)) return false;
        return true;
    }

    private static void check(StateVector s, int[] qubits) {
        int seen = 0;
        for (int q : qubits) {
            if (q < 0 || q >= s.numQubits()) throw new IllegalArgumentException("qubit " + q + " out of range for " + s.numQubits() + " qubits");
            if ((seen & 1 << q) != 0) throw new IllegalArgumentException("qubit " + q + " repeated");
            seen |= 1 << q;
        }
    }
}
