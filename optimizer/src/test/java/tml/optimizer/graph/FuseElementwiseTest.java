package tml.optimizer.graph;

import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;
import tml.optimizer.Model;
import tml.optimizer.OptimizerTesting;
import tml.optimizer.PassManager;

class FuseElementwiseTest {

    static final String C3 = "stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1";
    static final String C1 = "stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1";

    static final String BEFORE = """
            graph @G {
              input %x : f32[1,4,6,6]
              param @c1.weight : f32[4,4,3,3] = uniform(0.2)
              param @c1.bias : f32[4] = uniform(0.2)
              param @pw : f32[4,4,1,1] = uniform(0.5)
              param @scale : f32[4,1,1] = const(0.5)
              %c1 = conv2d(%x, @c1.weight, @c1.bias) {C3} : f32[1,4,6,6]
              %add = add(%x, %c1) : f32[1,4,6,6]
              %relu = relu(%add) : f32[1,4,6,6]
              %c2 = conv2d(%relu, @pw) {C1} : f32[1,4,6,6]
              %sub = sub(%relu, %c2) : f32[1,4,6,6]
              %c3 = conv2d(%sub, @pw) {C1} : f32[1,4,6,6]
              %mul = mul(%c3, @scale) : f32[1,4,6,6]
              %c4 = conv2d(%mul, @pw) {C1} : f32[1,4,6,6]
              %half = mul_scalar(%c4) {scalar = 0.5, scalar_left = true} : f32[1,4,6,6]
              %c5 = conv2d(%half, @pw) {C1} : f32[1,4,6,6]
              %rdiv = div_scalar(%c5) {scalar = 2.0, scalar_left = true} : f32[1,4,6,6]
              %c6 = conv2d(%rdiv, @pw) {C1} : f32[1,4,6,6]
              %twice = add(%c6, %c6) : f32[1,4,6,6]
              %gap = global_avg_pool(%twice) : f32[1,4,1,1]
              %c7 = conv2d(%gap, @pw) {C1} : f32[1,4,1,1]
              %grows = add(%c7, %x) : f32[1,4,6,6]
              output %y = %grows
            }
            """.replace("C3", C3).replace("C1", C1);

    @Test
    void fusesResidualAddsPerChannelScalesAndScalars() {
        assertPass(new FuseElementwise(), BEFORE, """
                graph @G {
                  input %x : f32[1,4,6,6]
                  param @c1.weight : f32[4,4,3,3] = uniform(0.2)
                  param @c1.bias : f32[4] = uniform(0.2)
                  param @pw : f32[4,4,1,1] = uniform(0.5)
                  param @scale : f32[4,1,1] = const(0.5)
                  %c1 = conv2d(%x, @c1.weight, @c1.bias, %x) {C3, epilogue = add} : f32[1,4,6,6]
                  %relu = relu(%c1) : f32[1,4,6,6]
                  %c2 = conv2d(%relu, @pw) {C1} : f32[1,4,6,6]
                  %sub = sub(%relu, %c2) : f32[1,4,6,6]
                  %c3 = conv2d(%sub, @pw, @scale) {C1, epilogue = mul} : f32[1,4,6,6]
                  %c4 = conv2d(%c3, @pw) {C1, epilogue = mul_scalar, scalar = 0.5} : f32[1,4,6,6]
                  %c5 = conv2d(%c4, @pw) {C1} : f32[1,4,6,6]
                  %rdiv = div_scalar(%c5) {scalar = 2.0, scalar_left = true} : f32[1,4,6,6]
                  %c6 = conv2d(%rdiv, @pw) {C1} : f32[1,4,6,6]
                  %twice = add(%c6, %c6) : f32[1,4,6,6]
                  %gap = global_avg_pool(%twice) : f32[1,4,1,1]
                  %c7 = conv2d(%gap, @pw) {C1} : f32[1,4,1,1]
                  %grows = add(%c7, %x) : f32[1,4,6,6]
                  output %y = %grows
                }
                """.replace("C3", C3).replace("C1", C1));
    }

    @Test
    void withFuseActivationAfterItAResidualBlockBecomesOneNode() {
        Model in = Model.initialized(OptimizerTesting.parse(BEFORE), 3);
        Model out = PassManager.fromNames("fuse-elementwise,fuse-activation").run(in);
        OptimizerTesting.assertContains(tml.ir.graph.GraphPrinter.print(out.graph()),
                "%c1 = conv2d(%x, @c1.weight, @c1.bias, %x) {" + C3 + ", epilogue = add, activation = relu} : f32[1,4,6,6]");
        OptimizerTesting.assertSameOutputs(in, out, 5);
    }

    @Test
    void fusesIntoLinearWhenTheProducerIsTheLeftOperandOfASubtraction() {
        assertPass(new FuseElementwise(), """
                graph @G {
                  input %x : f32[2,3]
                  input %r : f32[2,2]
                  param @w : f32[2,3] = uniform(0.5)
                  %fc = linear(%x, @w) : f32[2,2]
                  %d = sub(%fc, %r) : f32[2,2]
                  output %y = %d
                }
                """, """
                graph @G {
                  input %x : f32[2,3]
                  input %r : f32[2,2]
                  param @w : f32[2,3] = uniform(0.5)
                  %fc = linear(%x, @w, %r) {epilogue = sub} : f32[2,2]
                  output %y = %fc
                }
                """);
    }

    @Test
    void aResidualDefinedAfterTheConvStillFuses() {
        // The fused node takes the add's place, after the other branch.
        assertPass(new FuseElementwise(), """
                graph @G {
                  input %x : f32[1,2,4,4]
                  param @w : f32[2,2,1,1] = uniform(0.5)
                  %a = conv2d(%x, @w) {C1} : f32[1,2,4,4]
                  %b = tanh(%x) : f32[1,2,4,4]
                  %s = add(%a, %b) : f32[1,2,4,4]
                  output %y = %s
                }
                """.replace("C1", C1), """
                graph @G {
                  input %x : f32[1,2,4,4]
                  param @w : f32[2,2,1,1] = uniform(0.5)
                  %b = tanh(%x) : f32[1,2,4,4]
                  %a = conv2d(%x, @w, %b) {C1, epilogue = add} : f32[1,2,4,4]
                  output %y = %a
                }
                """.replace("C1", C1));
    }
}
