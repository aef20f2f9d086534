package tml.backends.llvm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.LoopPrinter;
import tml.runtime.Tensor;
import tml.runtime.Weights;

class SmokeTest {
    @Test
    void oneGraph() {
        Graph g = RandomGraphs.random(3);
        Map<String, Tensor> params = Weights.initialize(g, 3);
        Map<String, Tensor> in = Differential.inputs(g, 3);
        List<float[]> want = Differential.expected(g, in, params);
        System.out.println(LoopPrinter.print(HostBackend.plan(g, HostTarget.get()).program()));
        try (HostBackend.Compiled c = HostBackend.compile(g, Differential.arrays(params), OptLevel.O3)) {
            float[][] got = c.run(Differential.inputArrays(g, in));
            System.out.println("compile ms " + c.compileMillis());
            for (int i = 0; i < got.length; i++) assertTrue(Differential.relativeError(got[i], want.get(i)) < 1e-4, "output " + i);
        }
    }
}
