package tml.optimizer.graph;

import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;

class EliminateCommonSubexpressionsTest {

    @Test
    void mergesIdenticalOpsOnIdenticalOperandsTransitively() {
        assertPass(new EliminateCommonSubexpressions(), """
                graph @G {
                  input %x : f32[1,2,4,4]
                  param @w : f32[2,2,1,1] = uniform(0.5)
                  %a = relu(%x) : f32[1,2,4,4]
                  %b = relu(%x) : f32[1,2,4,4]
                  %ta = tanh(%a) : f32[1,2,4,4]
                  %tb = tanh(%b) : f32[1,2,4,4]
                  %c1 = conv2d(%ta, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,2,4,4]
                  %c2 = conv2d(%tb, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,2,4,4]
                  %c3 = conv2d(%tb, @w) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,2,6,6]
                  %s1 = sub(%c1, %c2) : f32[1,2,4,4]
                  %s2 = sub(%x, %c2) : f32[1,2,4,4]
                  %s3 = sub(%c2, %x) : f32[1,2,4,4]
                  %m1 = mul_scalar(%x) {scalar = 0.0, scalar_left = false} : f32[1,2,4,4]
                  %m2 = mul_scalar(%x) {scalar = -0.0, scalar_left = false} : f32[1,2,4,4]
                  output %y = %s1
                  output %y2 = %s2
                  output %y3 = %s3
                  output %y4 = %c3
                  output %y5 = %m1
                  output %y6 = %m2
                  output %y7 = %tb
                }
                """, """
                graph @G {
                  input %x : f32[1,2,4,4]
                  param @w : f32[2,2,1,1] = uniform(0.5)
                  %a = relu(%x) : f32[1,2,4,4]
                  %ta = tanh(%a) : f32[1,2,4,4]
                  %c1 = conv2d(%ta, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,2,4,4]
                  %c3 = conv2d(%ta, @w) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,2,6,6]
                  %s1 = sub(%c1, %c1) : f32[1,2,4,4]
                  %s2 = sub(%x, %c1) : f32[1,2,4,4]
                  %s3 = sub(%c1, %x) : f32[1,2,4,4]
                  %m1 = mul_scalar(%x) {scalar = 0.0, scalar_left = false} : f32[1,2,4,4]
                  %m2 = mul_scalar(%x) {scalar = -0.0, scalar_left = false} : f32[1,2,4,4]
                  output %y = %s1
                  output %y2 = %s2
                  output %y3 = %s3
                  output %y4 = %c3
                  output %y5 = %m1
                  output %y6 = %m2
                  output %y7 = %ta
                }
                """);
    }
}
