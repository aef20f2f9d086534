package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.ReadoutError;

class NoisyEvaluatorTest {
    private final Circuit circuit = TestCircuits.family(4, true).elaborate(new SubConfig(ImmutableMap.of("layers", 2L, "width", 3L)));
    private final SyntheticTask task = SyntheticTask.parity(4, 8, 24, 0.3, 3);
    private final double[] params = SharedWeights.random(circuit.params(), Math.PI, 1).valuesFor(circuit);

    /** On an error-free device the routed, compacted density-matrix score is the exact statevector score. */
    @Test void noiseFreeDeviceGivesTheExactScore() {
        Device ideal = Device.of("ideal-lima", 5, 0, 0, 0, 0, 1, 1, 2, 1, 3, 3, 4);
        Readout r = new Readout(2, 5);
        try (ExactLoss exact = new ExactLoss(r)) {
            Score want = exact.score(circuit, params, task.validation());
            for (List<Integer> layout : List.of(List.of(0, 1, 2), List.of(4, 0, 2), List.of(3, 2, 4))) {
                NoisyEvaluation e = new NoisyEvaluator(ideal, r).evaluate(circuit, params, layout, task.validation());
                assertEquals(want.loss(), e.score().loss(), 1e-9, layout.toString());
                assertEquals(want.accuracy(), e.score().accuracy(), 1e-12);
            }
        }
    }

    /** Simulating only the touched qubits gives what the whole device's density matrix gives. */
    @Test void compactedSimulationMatchesTheWholeDevice() {
        Readout r = new Readout(2, 5);
        NoisyEvaluator noisy = new NoisyEvaluator(TestCircuits.LIMA, r);
        for (List<Integer> layout : List.of(List.of(0, 1, 2), List.of(0, 2, 4), List.of(4, 3, 0))) {
            NoisyEvaluation e = noisy.evaluate(circuit, params, layout, task.validation());
            Circuit routed = e.routing().circuit();
            NoiseModel model = NoiseModel.fromDevice(TestCircuits.LIMA);
            DensityMatrixSimulator full = new DensityMatrixSimulator(model);
            int phys = e.routing().finalLayout().get(0);
            double loss = 0;
            for (int i = 0; i < task.validation().size(); i++) {
                double z = full.expectation(routed, ParamBinding.of(routed, params, task.validation().features()[i]), Observable.z(phys));
                loss += r.loss(new double[] {NoisyEvaluator.measuredZ(z, model.readout(phys))}, task.validation().labels()[i]);
            }
            assertEquals(loss / task.validation().size(), e.score().loss(), 1e-9, layout.toString());
            if (layout.equals(List.of(0, 2, 4))) assertTrue(e.routing().swaps() > 0);
        }
    }

    @Test void readoutErrorOnZ() {
        assertEquals(0.3, NoisyEvaluator.measuredZ(0.3, ReadoutError.NONE), 1e-15);
        assertEquals((1 - 2 * 0.05) * 0.3, NoisyEvaluator.measuredZ(0.3, ReadoutError.symmetric(0.05)), 1e-15);
        assertEquals(1 - 2 * 0.1, NoisyEvaluator.measuredZ(1, new ReadoutError(0.1, 0.2)), 1e-15);
        assertEquals(-1 + 2 * 0.2, NoisyEvaluator.measuredZ(-1, new ReadoutError(0.1, 0.2)), 1e-15);
    }
}
