package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;

class WeightSharingTest {
    private final SuperCircuit sc = new SuperCircuit(TestCircuits.space(List.of(1L, 2L, 3L), List.of(2L, 3L, 4L)), TestCircuits.family(4, true));

    @Test void everySubCircuitUsesASubsetOfTheSuperCircuitsWeights() {
        assertEquals(3 * 4 * 3, sc.circuit().params().size());
        var all = new HashSet<>(sc.circuit().params());
        for (SubConfig c : sc.space().all()) {
            Circuit sub = sc.subCircuit(c);
            assertTrue(all.containsAll(sub.params()), c + ": " + sub.params());
            long layers = (Long) c.get("layers"), width = (Long) c.get("width");
            assertEquals(layers * width * 3, sub.params().size());
        }
        assertEquals(List.of("theta_0_0_0", "theta_0_0_1", "theta_0_0_2", "theta_0_1_0", "theta_0_1_1", "theta_0_1_2"),
                sc.subCircuit(sc.space().smallest()).params());
    }

    @Test void subCircuitsInheritTheSharedValuesByName() {
        SharedWeights w = SharedWeights.random(sc.circuit().params(), Math.PI, 7);
        Circuit sub = sc.subCircuit(new SubConfig(com.google.common.collect.ImmutableMap.of("layers", 2L, "width", 3L)));
        double[] v = w.valuesFor(sub);
        for (int i = 0; i < v.length; i++) assertEquals(w.get(sub.params().get(i)), v[i]);
        w.set("theta_1_2_1", 0.25);
        assertEquals(0.25, w.valuesFor(sub)[sub.paramIndex("theta_1_2_1")]);
    }

    @Test void trainingASubCircuitMovesOnlyItsOwnWeights() {
        SharedWeights w = SharedWeights.random(sc.circuit().params(), Math.PI, 3);
        SharedWeights before = w.copy();
        Circuit small = sc.subCircuit(sc.space().smallest());
        SyntheticTask task = SyntheticTask.parity(4, 16, 8, 0.3, 1);
        try (ExactLoss loss = new ExactLoss(new Readout(2, 5))) {
            Trainer.fit(() -> small, w, task.train(), loss, TrainOptions.defaults(0).withSteps(5), "t", s -> {});
        }
        for (String name : sc.circuit().params()) {
            if (small.params().contains(name)) assertNotEquals(before.get(name), w.get(name), name);
            else assertEquals(before.get(name), w.get(name), name);
        }
    }

    @Test void superCircuitTrainingIsDeterministicForASeed() {
        SyntheticTask task = SyntheticTask.parity(4, 40, 8, 0.3, 1);
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            SharedWeights w = SharedWeights.random(sc.circuit().params(), Math.PI, 0);
            try (ExactLoss loss = new ExactLoss(new Readout(2, 5))) {
                SuperCircuitTrainer.train(sc, w, task.train(), loss, TrainOptions.defaults(11).withSteps(20), s -> {});
            }
            runs[r] = w.valuesFor(sc.circuit());
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test void aFamilyWhoseSubCircuitHasForeignWeightsIsRejected() {
        CircuitFamily renamed = config -> {
            Circuit c = TestCircuits.family(4).elaborate(config);
            if ((Long) config.get("layers") == 3L) return c;
            return new Circuit(c.name(), c.numQubits(), 0, ImmutableList.of("w_" + config.get("layers")), c.numInputs(), ImmutableList.of());
        };
        SuperCircuit bad = new SuperCircuit(TestCircuits.space(List.of(1L, 3L), List.of(2L)), renamed);
        var e = assertThrows(IllegalArgumentException.class, () -> bad.subCircuit(bad.space().smallest()));
        assertTrue(e.getMessage().contains("'w_1'"), e.getMessage());
    }

    @Test void restrictedSamplingChangesFewDimensions() {
        SubCircuitSampler s = new SubCircuitSampler(sc.space(), SubCircuitSampler.Mode.RESTRICTED, 1, 5);
        SubConfig prev = s.next();
        for (int i = 0; i < 50; i++) {
            SubConfig next = s.next();
            int changed = 0;
            for (String d : sc.space().dimensions()) if (!next.get(d).equals(prev.get(d))) changed++;
            assertTrue(changed <= 1, prev + " -> " + next);
            prev = next;
        }
    }
}
