package tml.optimizer.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;
import tml.optimizer.Model;

class FoldConstantsTest {

    @Test
    void foldsChainsOfConstantNodesIntoParamsOfTheSameName() {
        Model out = assertPass(new FoldConstants(), """
                graph @G {
                  input %x : f32[1,4]
                  param @a : f32[4] = const(2.0)
                  param @b : f32[4] = const(3.0)
                  param @small : f32[1] = const(1.0)
                  %s = add(@a, @b) : f32[4]
                  %t = mul_scalar(%s) {scalar = 2.0, scalar_left = false} : f32[4]
                  %r = reshape(%t) {shape = [1,4]} : f32[1,4]
                  %padded = pad(@small) {pads = [0,3], value = 0.5} : f32[4]
                  %y = add(%x, %r) : f32[1,4]
                  %z = mul(%y, %padded) : f32[1,4]
                  output %out = %z
                  output %const = %t
                }
                """, """
                graph @G {
                  input %x : f32[1,4]
                  param @a : f32[4] = const(2.0)
                  param @b : f32[4] = const(3.0)
                  param @small : f32[1] = const(1.0)
                  param @s : f32[4] = computed
                  param @t : f32[4] = computed
                  param @r : f32[1,4] = computed
                  %padded = pad(@small) {pads = [0,3], value = 0.5} : f32[4]
                  %y = add(%x, @r) : f32[1,4]
                  %z = mul(%y, %padded) : f32[1,4]
                  output %out = %z
                  output %const = @t
                }
                """);
        assertArrayEquals(new float[] {10, 10, 10, 10}, out.weights().get("t").data());
    }
}
