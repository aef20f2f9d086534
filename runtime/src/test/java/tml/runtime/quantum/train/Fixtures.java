package tml.runtime.quantum.train;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitBuilder;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.runtime.data.LabeledData;

/** Small QNN circuits and data sets for the training tests. */
final class Fixtures {
    private Fixtures() {}

    /**
     * n qubits; input i as ry then rz on qubit i % n; then per layer u3 on each qubit, a cu3 ring, and
     * (for coverage of the four-term rule and of shared parameters) crx and rzz gates.
     */
    static Circuit qnn(int n, int inputs, int layers, boolean extraGates) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers; l++) for (int q = 0; q < n; q++) for (int k = 0; k < 3; k++) names.add("a_" + l + "_" + q + "_" + k);
        for (int l = 0; l < layers; l++) for (int q = 0; q < n; q++) for (int k = 0; k < 3; k++) names.add("b_" + l + "_" + q + "_" + k);
        if (extraGates) names.add("c");
        CircuitBuilder b = Circuit.builder("qnn", n).inputs(inputs).params(names.toArray(String[]::new));
        for (int i = 0; i < inputs; i++) b.gate(i / n % 2 == 0 ? GateKind.RY : GateKind.RZ, Angle.input(i), i % n);
        for (int l = 0; l < layers; l++) {
            for (int q = 0; q < n; q++) b.op(gate(GateKind.U3, "a_" + l + "_" + q, q));
            for (int q = 0; q < n && n > 1; q++) b.op(gate(GateKind.CU3, "b_" + l + "_" + q, q, (q + 1) % n));
            if (extraGates && n > 1) {
                b.gate(GateKind.CRX, Angle.param("c").times(2).plus(0.3), 0, 1);
                b.gate(GateKind.RZZ, Angle.param("c").minus(Angle.input(0)), n - 1, 0);
            }
        }
        return b.build();
    }

    private static Op.Gate gate(GateKind k, String prefix, int... qubits) {
        ImmutableList<Angle> as = ImmutableList.of(Angle.param(prefix + "_0"), Angle.param(prefix + "_1"), Angle.param(prefix + "_2"));
        return Op.Gate.of(k, as, qubits);
    }

    static double[] randomParams(Circuit c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[c.params().size()];
        for (int i = 0; i < p.length; i++) p[i] = rng.nextDouble(-Math.PI, Math.PI);
        return p;
    }

    /**
     * Two classes of {@code features}-dimensional angle vectors: class 0 around 0.6, class 1 around
     * 2.4 on the even features (the odd ones are noise), each coordinate ± {@code spread}.
     */
    static LabeledData blobs(int count, int features, double spread, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[count][features];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = rng.nextInt(2);
            for (int f = 0; f < features; f++) {
                double centre = f % 2 == 1 ? Math.PI / 2 : y[i] == 0 ? 0.6 : 2.4;
                x[i][f] = centre + rng.nextDouble(-spread, spread);
            }
        }
        return new LabeledData(x, y, 2, ImmutableList.of("low", "high"));
    }
}
