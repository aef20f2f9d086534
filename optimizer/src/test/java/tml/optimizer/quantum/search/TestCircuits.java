package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitBuilder;
import tml.ir.quantum.Device;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/**
 * The SuperCircuit family of the tests, as examples/quantumnas.tml writes it in TML: every
 * feature angle-encoded with ry onto qubit i mod width, then {@code layers} blocks of a u3 on each
 * qubit followed by a CNOT chain; weights theta_l_i_k.
 */
final class TestCircuits {
    private TestCircuits() {}

    /** ibmq_lima's coupling map (a T) with error rates of its order. */
    static final Device LIMA = Device.of("lima", 5, 0.0005, 0.01, 0.03, 0, 1, 1, 2, 1, 3, 3, 4);

    static SearchSpace space(List<Long> layers, List<Long> widths) {
        return new SearchSpace(ImmutableMap.of("layers", ImmutableList.copyOf(layers), "width", ImmutableList.copyOf(widths)));
    }

    static CircuitFamily family(int features) { return family(features, false); }

    /** With {@code rxyz}, each block applies rx, ry, rz (weights theta_l_i_0..2) instead of one u3. */
    static CircuitFamily family(int features, boolean rxyz) {
        return config -> {
            int layers = (int) (long) (Long) config.get("layers"), width = (int) (long) (Long) config.get("width");
            CircuitBuilder b = Circuit.builder("super", width).inputs(features);
            List<String> params = new ArrayList<>();
            for (int l = 0; l < layers; l++) for (int i = 0; i < width; i++) for (int k = 0; k < 3; k++) params.add("theta_" + l + "_" + i + "_" + k);
            b.params(params.toArray(String[]::new));
            for (int f = 0; f < features; f++) b.ry(Angle.input(f), f % width);
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < width; i++) {
                    String t = "theta_" + l + "_" + i + "_";
                    if (rxyz) {
                        b.rx(Angle.param(t + 0), i).ry(Angle.param(t + 1), i).rz(Angle.param(t + 2), i);
                    } else {
                        b.op(Op.Gate.of(GateKind.U3, ImmutableList.of(Angle.param(t + 0), Angle.param(t + 1), Angle.param(t + 2)), i));
                    }
                }
                for (int i = 0; i + 1 < width; i++) b.cx(i, i + 1);
            }
            return b.build();
        };
    }
}
