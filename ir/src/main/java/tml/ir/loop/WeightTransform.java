package tml.ir.loop;

/**
 * Rearrangements of a parameter that the compiler does once, when it packs the weights blob, so a
 * kernel reads weights in the layout it wants instead of transforming them on every call.
 */
public enum WeightTransform {
    /**
     * Winograd F(2x2, 3x3): the 3x3 kernels {@code g} of a conv2d weight {@code [cout][cin][3][3]}
     * become {@code U = G g G^T} (4x4), stored as {@code [16][cout][cin]}: element {@code xi = 4a + b}
     * of every kernel together, so each of the 16 products of the Winograd domain is one matrix
     * {@code [cout][cin]}. G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]], computed
     * in f64 and rounded once.
     */
    WINOGRAD_F2X3("winograd_f2x3") {
        @Override public long count(long sourceCount) {
            if (sourceCount % 9 != 0) throw new IllegalArgumentException("a 3x3 conv2d weight has a multiple of 9 elements, not " + sourceCount);
            return sourceCount / 9 * 16;
        }

        @Override public float[] apply(float[] g) {
            int pairs = Math.toIntExact(count(g.length) / 16);
            float[] u = new float[pairs * 16];
            double[] t = new double[12];
            for (int p = 0; p < pairs; p++) {
                int at = p * 9;
                // t = G g (4x3), then U = t G^T (4x4)
                for (int s = 0; s < 3; s++) {
                    double g0 = g[at + s], g1 = g[at + 3 + s], g2 = g[at + 6 + s];
                    t[s] = g0;
                    t[3 + s] = (g0 + g1 + g2) / 2;
                    t[6 + s] = (g0 - g1 + g2) / 2;
                    t[9 + s] = g2;
                }
                for (int a = 0; a < 4; a++) {
                    double r0 = t[3 * a], r1 = t[3 * a + 1], r2 = t[3 * a + 2];
                    double[] row = {r0, (r0 + r1 + r2) / 2, (r0 - r1 + r2) / 2, r2};
                    for (int b = 0; b < 4; b++) u[(4 * a + b) * pairs + p] = (float) row[b];
                }
            }
            return u;
        }
    };

    /** The name in the loop IR's text: {@code weight 64 = winograd_f2x3(%conv.weight)}. */
    public final String text;

    WeightTransform(String text) { this.text = text; }

    /** Elements of the packed weight made from a parameter of {@code sourceCount} elements. */
    public abstract long count(long sourceCount);

    /** The packed weight of a parameter's values. */
    public abstract float[] apply(float[] source);

    public static java.util.Optional<WeightTransform> named(String text) {
        for (WeightTransform t : values()) if (t.text.equals(text)) return java.util.Optional.of(t);
        return java.util.Optional.empty();
    }
}
