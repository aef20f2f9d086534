package tml.runtime.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.RandomCircuits;
import tml.ir.quantum.ReferenceSimulator;

/**
 * The 2×2 kernels on every layout: adjacent pairs (qubit 0), runs, element-by-element walks (a
 * control or target on qubit 0 or 1) and the buffered far path (forced here by a low far-qubit
 * cut-off), serial and split over a pool: all bit-identical to each other and equal to the
 * reference semantics.
 */
class PairKernelsTest {
    static final GateKind[] KINDS = {GateKind.X, GateKind.H, GateKind.RX, GateKind.RY, GateKind.U3, GateKind.SX, GateKind.Y,
            GateKind.CX, GateKind.CY, GateKind.CH, GateKind.CRX, GateKind.CRY, GateKind.CU3, GateKind.CCX, GateKind.SWAP, GateKind.CSWAP};

    record Applied(GateKind kind, double[] angles, int[] qubits) {}

    static List<Applied> gates(SplittableRandom rng, int n, int count) {
        List<Applied> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GateKind k = KINDS[rng.nextInt(KINDS.length)];
            double[] angles = new double[k.numAngles()];
            for (int j = 0; j < angles.length; j++) angles[j] = rng.nextDouble(-3, 3);
            int[] q = new int[k.numQubits()];
            // favour the edges: qubits 0, 1 and the top ones exercise the walk and the far path
            int[] pool = rng.nextBoolean() ? new int[] {0, 1, n - 1, n - 2, n - 3} : null;
            for (int j = 0; j < q.length; j++) {
                int v;
                do v = pool != null && rng.nextInt(3) > 0 ? pool[rng.nextInt(pool.length)] : rng.nextInt(n);
                while (contains(q, j, v));
                q[j] = v;
            }
            out.add(new Applied(k, angles, q));
        }
        return out;
    }

    static boolean contains(int[] q, int len, int v) {
        for (int i = 0; i < len; i++) if (q[i] == v) return true;
        return false;
    }

    static StateVector run(GateApplier g, double[][] init, List<Applied> gates) {
        StateVector s = StateVector.of(init[0], init[1]);
        for (Applied a : gates) g.apply(s, a.kind(), a.angles(), Arrays.stream(a.qubits()).boxed().toList());
        return s;
    }

    @Test
    void everyLayoutMatchesTheReferenceAndIsBitIdentical() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : new int[] {3, 4, 6, 9}) {
            for (int trial = 0; trial < 20; trial++) {
                double[][] init = RandomCircuits.randomState(rng, n);
                List<Applied> gates = gates(rng, n, 30);
                StateVector plain = run(new GateApplier(null, 30), init, gates);
                for (int far = 1; far < n; far++) {
                    StateVector buffered = run(new GateApplier(null, far), init, gates);
                    assertTrue(plain.bitIdentical(buffered), "n " + n + ", far from qubit " + far + ": " + describe(gates));
                }
                double[] re = init[0].clone(), im = init[1].clone();
                for (Applied a : gates)
                    ReferenceSimulator.apply(Gates.matrix(a.kind(), a.angles()), Arrays.stream(a.qubits()).boxed().toList(), re, im);
                for (int i = 0; i < re.length; i++) {
                    assertEquals(re[i], plain.re(i), 1e-12, "re " + i + " " + describe(gates));
                    assertEquals(im[i], plain.im(i), 1e-12, "im " + i + " " + describe(gates));
                }
            }
        }
    }

    @Test
    void splitOverAPoolTheFarPathIsBitIdentical() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 19; // 3-qubit gates have 2^16 index groups: the pool really splits them
        double[][] init = RandomCircuits.randomState(rng, n);
        List<Applied> gates = gates(rng, n, 40);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            StateVector serial = run(new GateApplier(null, 30), init, gates);
            for (int far : new int[] {2, 9, 16}) {
                assertTrue(serial.bitIdentical(run(new GateApplier(pool, far), init, gates)), "far from qubit " + far);
                assertTrue(serial.bitIdentical(run(new GateApplier(null, far), init, gates)), "serial, far from qubit " + far);
            }
            assertTrue(serial.bitIdentical(run(new GateApplier(pool, PairKernels.FAR_QUBIT), init, gates)));
        } finally {
            pool.shutdown();
        }
    }

    static String describe(List<Applied> gates) {
        StringBuilder sb = new StringBuilder();
        for (Applied a : gates) sb.append(a.kind()).append(Arrays.toString(a.qubits())).append(' ');
        return sb.toString();
    }
}
