package tml.ir.loop;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tml.ir.graph.IrParseException;

class LoopInterpreterTest {
    @Test
    void runsAProgramAndChecksBounds() throws IrParseException {
        Program p = LoopParser.parse("""
                program @p {
                  arena 32
                  weights 16
                  buffer %x : f32[4] input 0
                  buffer %w : f32[4] weight 0
                  buffer %t : f32[4] arena 0
                  buffer %y : f32[1] output 0
                  kernel @mul {
                    for $i in 0 .. 4 {
                      %t[$i] = %x[$i] * %w[$i]
                    }
                  }
                  kernel @sum {
                    var $s : f32 = 0.0
                    for $i in 0 .. 4 {
                      $s = $s + %t[$i]
                    }
                    %y[0] = $s + f32((0 - 7) / 2) + f32((0 - 7) % 2)
                  }
                }
                """, "p.loop");
        float[][] out = {new float[1]};
        new LoopInterpreter(p).run(new float[][] {{1, 2, 3, 4}}, new float[] {1, 1, 1, 2}, out);
        assertEquals(14f - 4f + 1f, out[0][0]); // floor division and modulo: -7/2 = -4, -7%2 = 1

        Program bad = LoopParser.parse("""
                program @p {
                  arena 0
                  weights 0
                  buffer %x : f32[4] input 0
                  buffer %y : f32[4] output 0
                  kernel @shift {
                    for $i in 0 .. 4 {
                      %y[$i] = %x[$i * $i]
                    }
                  }
                }
                """, "p.loop");
        var e = assertThrows(LoopInterpreter.ExecutionException.class,
                () -> new LoopInterpreter(bad).run(new float[][] {new float[4]}, new float[0], new float[][] {new float[4]}));
        assertEquals("kernel @shift: load of %x[4] is outside its 4 elements", e.getMessage());
    }
}
