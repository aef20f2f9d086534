package tml.optimizer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tml.optimizer.OptimizerTesting.assertPass;

import java.util.Set;
import org.junit.jupiter.api.Test;
import tml.optimizer.Model;

class EliminateDeadCodeTest {

    @Test
    void removesNodesAndParamsThatReachNoOutput() {
        Model out = assertPass(new EliminateDeadCode(), """
                graph @G {
                  input %x : f32[2,3]
                  input %unused : f32[1]
                  param @w : f32[4,3] = uniform(0.5)
                  param @dead_w : f32[4,3] = uniform(0.5)
                  param @direct : f32[2] = const(1.0)
                  %fc = linear(%x, @w) : f32[2,4]
                  %dead = linear(%x, @dead_w) : f32[2,4]
                  %dead_too = relu(%dead) : f32[2,4]
                  %r = relu(%fc) : f32[2,4]
                  output %y = %r
                  output %p = @direct
                }
                """, """
                graph @G {
                  input %x : f32[2,3]
                  input %unused : f32[1]
                  param @w : f32[4,3] = uniform(0.5)
                  param @direct : f32[2] = const(1.0)
                  %fc = linear(%x, @w) : f32[2,4]
                  %r = relu(%fc) : f32[2,4]
                  output %y = %r
                  output %p = @direct
                }
                """);
        assertEquals(Set.of("w", "direct"), out.weights().keySet());
    }
}
