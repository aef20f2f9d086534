package tml.ir.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Winograd weight transform is G g G^T, laid out [16][pairs], for every (cout, cin) pair. */
class WeightTransformTest {
    static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

    @Test
    void winogradIsGgGtForEveryKernel() {
        Random r = new Random(1);
        int pairs = 6;
        float[] g = new float[pairs * 9];
        for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
        float[] u = WeightTransform.WINOGRAD_F2X3.apply(g);
        assertEquals(pairs * 16, u.length);
        assertEquals(pairs * 16L, WeightTransform.WINOGRAD_F2X3.count(g.length));
        for (int p = 0; p < pairs; p++) {
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    double want = 0;
                    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) want += G[a][i] * g[p * 9 + 3 * i + j] * G[b][j];
                    assertEquals(want, u[(4 * a + b) * pairs + p], 1e-6, "pair " + p + " element " + (4 * a + b));
                }
            }
        }
    }

    @Test
    void aWeightThatIsNotThreeByThreeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightTransform.WINOGRAD_F2X3.apply(new float[10]));
        assertTrue(e.getMessage().contains("multiple of 9"), e.getMessage());
        assertEquals(WeightTransform.WINOGRAD_F2X3, WeightTransform.named("winograd_f2x3").orElseThrow());
        assertTrue(WeightTransform.named("fft").isEmpty());
    }
}
