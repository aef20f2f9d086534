package tml.ir.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GatesTest {
    private static final double TOL = 1e-12;

    private static double[] randomAngles(SplittableRandom rng, GateKind k) {
        double[] a = new double[k.numAngles()];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble(-7, 7);
        return a;
    }

    @Test
    void everyGateIsUnitaryOfTheRightSize() {
        SplittableRandom rng = new SplittableRandom(1);
        for (GateKind k : GateKind.values())
            for (int t = 0; t < 5; t++) {
                ComplexMatrix m = Gates.matrix(k, randomAngles(rng, k));
                assertEquals(1 << k.numQubits(), m.dim(), k.mnemonic());
                assertTrue(m.isUnitary(TOL), k.mnemonic());
            }
    }

    @Test
    void inverseGateTimesGateIsIdentity() {
        SplittableRandom rng = new SplittableRandom(2);
        for (GateKind k : GateKind.values())
            for (int t = 0; t < 5; t++) {
                Op.Gate g = gate(k, randomAngles(rng, k));
                Op.Gate inv = Gates.inverse(g);
                ComplexMatrix p = Gates.matrix(inv.kind(), values(inv)).times(Gates.matrix(k, values(g)));
                assertTrue(p.maxDistance(ComplexMatrix.identity(p.dim())) < TOL, k.mnemonic() + "\n" + p);
            }
    }

    @Test
    void derivativesMatchCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        double h = 1e-6;
        for (GateKind k : GateKind.values())
            for (int j = 0; j < k.numAngles(); j++) {
                double[] a = randomAngles(rng, k);
                double[] ap = a.clone(), am = a.clone();
                ap[j] += h;
                am[j] -= h;
                ComplexMatrix fd = Gates.matrix(k, ap).plus(Gates.matrix(k, am).scale(-1, 0)).scale(1 / (2 * h), 0);
                assertTrue(Gates.derivative(k, j, a).maxDistance(fd) < 1e-8, k.mnemonic() + " angle " + j);
            }
    }

    @Test
    void qiskitConventions() {
        // cx(control=q0, target=q1): |q1 q0> = |01> (index 1) -> |11> (index 3)
        ComplexMatrix cx = Gates.matrix(GateKind.CX);
        assertEquals(1, cx.re(3, 1));
        assertEquals(1, cx.re(0, 0));
        assertEquals(1, cx.re(2, 2));
        // ccx flips bit 2 iff bits 0 and 1 are set
        ComplexMatrix ccx = Gates.matrix(GateKind.CCX);
        assertEquals(1, ccx.re(7, 3));
        assertEquals(1, ccx.re(5, 5));
        // cswap(c, a, b) swaps a, b iff c: |b a c> = |011> (3) -> |101> (5)
        ComplexMatrix cswap = Gates.matrix(GateKind.CSWAP);
        assertEquals(1, cswap.re(5, 3));
        assertEquals(1, cswap.re(6, 6));
        // rz = e^{-iθ/2} p(θ); rx = u3(θ, -π/2, π/2); ry = u3(θ, 0, 0); u2 = u3(π/2, φ, λ)
        double t = 0.7;
        ComplexMatrix rz = Gates.matrix(GateKind.RZ, t);
        assertTrue(rz.maxDistance(Gates.matrix(GateKind.P, t).scale(Math.cos(-t / 2), Math.sin(-t / 2))) < TOL);
        assertTrue(Gates.matrix(GateKind.RX, t).maxDistance(Gates.matrix(GateKind.U3, t, -Math.PI / 2, Math.PI / 2)) < TOL);
        assertTrue(Gates.matrix(GateKind.RY, t).maxDistance(Gates.matrix(GateKind.U3, t, 0, 0)) < TOL);
        assertTrue(Gates.matrix(GateKind.U2, 0.3, t).maxDistance(Gates.matrix(GateKind.U3, Math.PI / 2, 0.3, t)) < TOL);
        // sx² = x, h = u2(0, π), s² = z, t² = s
        assertTrue(sq(GateKind.SX).maxDistance(Gates.matrix(GateKind.X)) < TOL);
        assertTrue(sq(GateKind.S).maxDistance(Gates.matrix(GateKind.Z)) < TOL);
        assertTrue(sq(GateKind.T).maxDistance(Gates.matrix(GateKind.S)) < TOL);
        assertTrue(Gates.matrix(GateKind.H).maxDistance(Gates.matrix(GateKind.U2, 0, Math.PI)) < TOL);
    }

    @Test
    void twoQubitPauliRotationsAreExponentials() {
        double t = 1.1, c = Math.cos(t / 2), s = Math.sin(t / 2);
        ComplexMatrix x = Gates.matrix(GateKind.X), y = Gates.matrix(GateKind.Y), z = Gates.matrix(GateKind.Z);
        ComplexMatrix id4 = ComplexMatrix.identity(4);
        assertTrue(Gates.matrix(GateKind.RXX, t).maxDistance(id4.scale(c, 0).plus(kron(x, x).scale(0, -s))) < TOL);
        assertTrue(Gates.matrix(GateKind.RYY, t).maxDistance(id4.scale(c, 0).plus(kron(y, y).scale(0, -s))) < TOL);
        assertTrue(Gates.matrix(GateKind.RZZ, t).maxDistance(id4.scale(c, 0).plus(kron(z, z).scale(0, -s))) < TOL);
    }

    @Test
    void sameActionAllowsSymmetricOperandOrders() {
        assertTrue(Gates.sameAction(Op.Gate.of(GateKind.CZ, 0, 1), Op.Gate.of(GateKind.CZ, 1, 0)));
        assertTrue(Gates.sameAction(Op.Gate.of(GateKind.CCX, 0, 1, 2), Op.Gate.of(GateKind.CCX, 1, 0, 2)));
        assertTrue(Gates.sameAction(Op.Gate.of(GateKind.CSWAP, 0, 1, 2), Op.Gate.of(GateKind.CSWAP, 0, 2, 1)));
        assertTrue(!Gates.sameAction(Op.Gate.of(GateKind.CX, 0, 1), Op.Gate.of(GateKind.CX, 1, 0)));
        assertTrue(!Gates.sameAction(Op.Gate.of(GateKind.CCX, 0, 1, 2), Op.Gate.of(GateKind.CCX, 0, 2, 1)));
        assertTrue(!Gates.sameAction(Op.Gate.of(GateKind.RX, 0.1, 0), Op.Gate.of(GateKind.RX, 0.2, 0)));
        // and the claimed symmetries hold for the matrices
        for (GateKind k : GateKind.values()) {
            if (!k.isSymmetric()) continue;
            double[] a = randomAngles(new SplittableRandom(4), k);
            Circuit c1 = Circuit.builder("a", 2).gate(k, a, 0, 1).build();
            Circuit c2 = Circuit.builder("b", 2).gate(k, a, 1, 0).build();
            assertTrue(ReferenceSimulator.unitary(c1, ParamBinding.empty(c1)).maxDistance(ReferenceSimulator.unitary(c2, ParamBinding.empty(c2))) < TOL, k.mnemonic());
        }
    }

    private static ComplexMatrix sq(GateKind k) { return Gates.matrix(k).times(Gates.matrix(k)); }

    /** a ⊗ b with b on the low bit (operand 0). */
    private static ComplexMatrix kron(ComplexMatrix a, ComplexMatrix b) {
        double[] re = new double[16], im = new double[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                double ar = a.re(r >> 1, c >> 1), ai = a.im(r >> 1, c >> 1), br = b.re(r & 1, c & 1), bi = b.im(r & 1, c & 1);
                re[r * 4 + c] = ar * br - ai * bi;
                im[r * 4 + c] = ar * bi + ai * br;
            }
        return ComplexMatrix.of(4, re, im);
    }

    private static Op.Gate gate(GateKind k, double[] a) {
        int[] qs = new int[k.numQubits()];
        for (int i = 0; i < qs.length; i++) qs[i] = i;
        ImmutableList.Builder<Angle> as = ImmutableList.builder();
        for (double v : a) as.add(Angle.of(v));
        return Op.Gate.of(k, as.build(), qs);
    }

    private static double[] values(Op.Gate g) { return g.angles().stream().mapToDouble(Angle::constant).toArray(); }
}
