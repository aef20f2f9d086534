package tml.optimizer.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;
import tml.optimizer.Model;

class FoldBatchNormTest {

    static final String CONV = "{stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1}";

    @Test
    void foldsIntoAConvWithoutBias() {
        assertPass(new FoldBatchNorm(), """
                graph @G {
                  input %x : f32[1,3,8,8]
                  param @features.0.0.weight : f32[4,3,3,3] = uniform(0.2)
                  param @features.0.1.weight : f32[4] = uniform(1.0)
                  param @features.0.1.bias : f32[4] = uniform(0.5)
                  param @features.0.1.running_mean : f32[4] = uniform(0.5) buffer
                  param @features.0.1.running_var : f32[4] = const(2.0) buffer
                  %features.0.0 = conv2d(%x, @features.0.0.weight) CONV : f32[1,4,8,8]
                  %features.0.1 = batch_norm(%features.0.0, @features.0.1.weight, @features.0.1.bias, @features.0.1.running_mean, @features.0.1.running_var) {eps = 1.0E-5} : f32[1,4,8,8]
                  %features.0.2 = relu6(%features.0.1) : f32[1,4,8,8]
                  output %y = %features.0.2
                }
                """.replace("CONV", CONV), """
                graph @G {
                  input %x : f32[1,3,8,8]
                  param @features.0.0.weight : f32[4,3,3,3] = uniform(0.2)
                  param @features.0.1.weight : f32[4] = uniform(1.0)
                  param @features.0.1.bias : f32[4] = uniform(0.5)
                  param @features.0.1.running_mean : f32[4] = uniform(0.5) buffer
                  param @features.0.1.running_var : f32[4] = const(2.0) buffer
                  param @features.0.0.weight.folded : f32[4,3,3,3] = computed
                  param @features.0.0.bias.folded : f32[4] = computed
                  %features.0.0 = conv2d(%x, @features.0.0.weight.folded, @features.0.0.bias.folded) CONV : f32[1,4,8,8]
                  %features.0.2 = relu6(%features.0.0) : f32[1,4,8,8]
                  output %y = %features.0.2
                }
                """.replace("CONV", CONV));
    }

    @Test
    void foldsIntoAConvWithBiasAndSharedWeightsGetFreshNames() {
        // Two convs share one weight; each folds into its own copy. A weight not named *.weight names the bias after the node.
        assertPass(new FoldBatchNorm(), """
                graph @G {
                  input %x : f32[1,4,5,5]
                  param @w : f32[4,4,3,3] = uniform(0.2)
                  param @b : f32[4] = uniform(0.2)
                  param @g : f32[4] = uniform(1.0)
                  param @z : f32[4] = uniform(0.5)
                  param @m : f32[4] = uniform(0.5) buffer
                  param @v : f32[4] = const(0.5) buffer
                  %c1 = conv2d(%x, @w, @b) CONV : f32[1,4,5,5]
                  %n1 = batch_norm(%c1, @g, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  %c2 = conv2d(%n1, @w) CONV : f32[1,4,5,5]
                  %n2 = batch_norm(%c2, @g, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  output %y = %n2
                }
                """.replace("CONV", CONV), """
                graph @G {
                  input %x : f32[1,4,5,5]
                  param @w : f32[4,4,3,3] = uniform(0.2)
                  param @b : f32[4] = uniform(0.2)
                  param @g : f32[4] = uniform(1.0)
                  param @z : f32[4] = uniform(0.5)
                  param @m : f32[4] = uniform(0.5) buffer
                  param @v : f32[4] = const(0.5) buffer
                  param @w.folded : f32[4,4,3,3] = computed
                  param @b.folded : f32[4] = computed
                  param @w.folded_1 : f32[4,4,3,3] = computed
                  param @c2.bias.folded : f32[4] = computed
                  %c1 = conv2d(%x, @w.folded, @b.folded) CONV : f32[1,4,5,5]
                  %c2 = conv2d(%c1, @w.folded_1, @c2.bias.folded) CONV : f32[1,4,5,5]
                  output %y = %c2
                }
                """.replace("CONV", CONV));
    }

    @Test
    void foldsIntoALinearWithTheFormula() {
        // scale = 3 / sqrt(4 + 0) = 1.5: W' = 2 * 1.5 = 3, b' = (1 - 1) * 1.5 + 0.5 = 0.5.
        Model out = assertPass(new FoldBatchNorm(), """
                graph @G {
                  input %x : f32[2,3]
                  param @fc.weight : f32[2,3] = const(2.0)
                  param @fc.bias : f32[2] = const(1.0)
                  param @bn.weight : f32[2] = const(3.0)
                  param @bn.bias : f32[2] = const(0.5)
                  param @bn.running_mean : f32[2] = const(1.0) buffer
                  param @bn.running_var : f32[2] = const(4.0) buffer
                  %fc = linear(%x, @fc.weight, @fc.bias) : f32[2,2]
                  %bn = batch_norm(%fc, @bn.weight, @bn.bias, @bn.running_mean, @bn.running_var) {eps = 0.0} : f32[2,2]
                  output %y = %bn
                }
                """, """
                graph @G {
                  input %x : f32[2,3]
                  param @fc.weight : f32[2,3] = const(2.0)
                  param @fc.bias : f32[2] = const(1.0)
                  param @bn.weight : f32[2] = const(3.0)
                  param @bn.bias : f32[2] = const(0.5)
                  param @bn.running_mean : f32[2] = const(1.0) buffer
                  param @bn.running_var : f32[2] = const(4.0) buffer
                  param @fc.weight.folded : f32[2,3] = computed
                  param @fc.bias.folded : f32[2] = computed
                  %fc = linear(%x, @fc.weight.folded, @fc.bias.folded) : f32[2,2]
                  output %y = %fc
                }
                """);
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, out.weights().get("fc.weight.folded").data());
        assertArrayEquals(new float[] {0.5f, 0.5f}, out.weights().get("fc.bias.folded").data());
    }

    @Test
    void leavesWhatItCannotFold() {
        String g = """
                graph @G {
                  input %x : f32[1,4,5,5]
                  input %s : f32[4]
                  param @w : f32[4,4,3,3] = uniform(0.2)
                  param @g : f32[4] = uniform(1.0)
                  param @z : f32[4] = uniform(0.5)
                  param @m : f32[4] = uniform(0.5) buffer
                  param @v : f32[4] = const(0.5) buffer
                  param @fc : f32[5,5] = uniform(0.4)
                  %used_twice = conv2d(%x, @w) CONV : f32[1,4,5,5]
                  %n1 = batch_norm(%used_twice, @g, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  %fused = conv2d(%n1, @w) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1, activation = relu} : f32[1,4,5,5]
                  %n2 = batch_norm(%fused, @g, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  %c3 = conv2d(%n2, @w) CONV : f32[1,4,5,5]
                  %n3 = batch_norm(%c3, %s, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  %rank4 = linear(%n3, @fc) : f32[1,4,5,5]
                  %n4 = batch_norm(%rank4, @g, @z, @m, @v) {eps = 0.001} : f32[1,4,5,5]
                  output %y = %n4
                  output %a = %used_twice
                }
                """.replace("CONV", CONV);
        assertPass(new FoldBatchNorm(), g, g);
    }
}
