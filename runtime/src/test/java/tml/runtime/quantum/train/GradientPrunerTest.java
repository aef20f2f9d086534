package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** QOC's probabilistic gradient pruning: the window schedule, the kept count, and the bias toward large gradients. */
class GradientPrunerTest {
    private static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) if (b) n++;
        return n;
    }

    @Test
    void windowsAlternate() {
        GradientPruner p = new GradientPruner(10, 0.5, 2, 3, 1);
        int[] kept = new int[10];
        for (int s = 0; s < 10; s++) {
            kept[s] = count(p.mask());
            p.record(new double[10]);
        }
        assertArrayEquals(new int[] {10, 10, 5, 5, 5, 10, 10, 5, 5, 5}, kept);
        assertEquals(4, new GradientPruner(7, 0.5, 1, 1, 0).keptPerPruningStep(), "ceil((1 - r)·N)");
        assertThrows(IllegalArgumentException.class, () -> new GradientPruner(4, 1.0, 1, 1, 0));
    }

    @Test
    void largeGradientsAreKeptMoreOften() {
        GradientPruner p = new GradientPruner(4, 0.5, 1, 1, 7);
        int[] kept = new int[4];
        for (int s = 0; s < 4000; s++) {
            boolean[] m = p.mask();
            if (s % 2 == 1) for (int k = 0; k < 4; k++) if (m[k]) kept[k]++;
            p.record(new double[] {1.0, 0.1, 0.01, 3.0}); // accumulated in the accumulation steps only
        }
        // each pruning step keeps exactly 2 of 4, so the counts sum to 2 per step
        assertEquals(2 * 2000, kept[0] + kept[1] + kept[2] + kept[3]);
        assertTrue(kept[3] > kept[0] && kept[0] > kept[1] && kept[1] > kept[2], java.util.Arrays.toString(kept));
        assertTrue(kept[2] > 0, "small gradients are pruned with high probability, not always");
    }

    @Test
    void seeded() {
        GradientPruner a = new GradientPruner(20, 0.7, 1, 2, 99), b = new GradientPruner(20, 0.7, 1, 2, 99);
        double[] g = new double[20];
        for (int k = 0; k < 20; k++) g[k] = k;
        for (int s = 0; s < 30; s++) {
            assertArrayEquals(a.mask(), b.mask());
            a.record(g);
            b.record(g);
        }
    }
}
