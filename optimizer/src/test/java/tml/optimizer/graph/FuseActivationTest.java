package tml.optimizer.graph;

import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;

class FuseActivationTest {

    @Test
    void fusesIntoConvAndLinearWithASingleUser() {
        assertPass(new FuseActivation(), """
                graph @G {
                  input %x : f32[1,3,8,8]
                  param @conv.weight : f32[4,3,1,1] = uniform(0.5)
                  param @conv.bias : f32[4] = uniform(0.5)
                  param @fc.weight : f32[2,4] = uniform(0.5)
                  %conv = conv2d(%x, @conv.weight, @conv.bias) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,4,8,8]
                  %act = relu6(%conv) : f32[1,4,8,8]
                  %act2 = tanh(%act) : f32[1,4,8,8]
                  %pool = global_avg_pool(%act2) : f32[1,4,1,1]
                  %flat = flatten(%pool) {start_axis = 1} : f32[1,4]
                  %fc = linear(%flat, @fc.weight) : f32[1,2]
                  %sig = sigmoid(%fc) : f32[1,2]
                  %other = linear(%flat, @fc.weight) : f32[1,2]
                  %hs = hardswish(%other) : f32[1,2]
                  %relu_of_input = relu(%x) : f32[1,3,8,8]
                  output %y = %sig
                  output %z = %other
                  output %w = %hs
                  output %r = %relu_of_input
                }
                """, """
                graph @G {
                  input %x : f32[1,3,8,8]
                  param @conv.weight : f32[4,3,1,1] = uniform(0.5)
                  param @conv.bias : f32[4] = uniform(0.5)
                  param @fc.weight : f32[2,4] = uniform(0.5)
                  %conv = conv2d(%x, @conv.weight, @conv.bias) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1, activation = relu6} : f32[1,4,8,8]
                  %act2 = tanh(%conv) : f32[1,4,8,8]
                  %pool = global_avg_pool(%act2) : f32[1,4,1,1]
                  %flat = flatten(%pool) {start_axis = 1} : f32[1,4]
                  %fc = linear(%flat, @fc.weight) {activation = sigmoid} : f32[1,2]
                  %other = linear(%flat, @fc.weight) : f32[1,2]
                  %hs = hardswish(%other) : f32[1,2]
                  %relu_of_input = relu(%x) : f32[1,3,8,8]
                  output %y = %fc
                  output %z = %other
                  output %w = %hs
                  output %r = %relu_of_input
                }
                """);
    }

    @Test
    void fusesAfterAnEpilogue() {
        assertPass(new FuseActivation(), """
                graph @G {
                  input %x : f32[1,4,3,3]
                  param @w : f32[4,4,1,1] = uniform(0.5)
                  %c = conv2d(%x, @w, %x) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1, epilogue = add} : f32[1,4,3,3]
                  %r = silu(%c) : f32[1,4,3,3]
                  output %y = %r
                }
                """, """
                graph @G {
                  input %x : f32[1,4,3,3]
                  param @w : f32[4,4,1,1] = uniform(0.5)
                  %c = conv2d(%x, @w, %x) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1, epilogue = add, activation = silu} : f32[1,4,3,3]
                  output %y = %c
                }
                """);
    }
}
