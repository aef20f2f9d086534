package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Input;
import tml.ir.graph.Output;
import tml.ir.graph.gen.RandomGraphs;

/** Runs the ir module's random graphs: every op configuration it makes must execute with the declared shapes. */
class RandomGraphsTest {
    @Test void randomGraphsRunWithDeclaredShapesAndFiniteValues() {
        for (long seed = 0; seed < 60; seed++) {
            Graph g = RandomGraphs.random(seed);
            Map<String, Tensor> inputs = new HashMap<>();
            SplittableRandom r = new SplittableRandom(seed);
            for (Input in : g.inputs()) {
                Tensor t = Tensor.zeros(in.type().shape());
                for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) r.nextDouble(-2, 2);
                inputs.put(in.name(), t);
            }
            Map<String, Tensor> params = Weights.initialize(g, seed);
            String where = "seed " + seed + ":\n" + GraphPrinter.print(g);
            Map<String, Tensor> serial = new Interpreter(Accumulation.F32, false).run(g, inputs, params);
            Map<String, Tensor> parallel = new Interpreter(Accumulation.F32, true).run(g, inputs, params);
            Map<String, Tensor> f64 = new Interpreter(Accumulation.F64, false).run(g, inputs, params);
            for (Output o : g.outputs()) {
                Tensor y = serial.get(o.name());
                assertEquals(g.typeOf(o.value()).orElseThrow().shape(), y.shape(), where);
                for (float v : y.data()) assertTrue(Float.isFinite(v), where);
                assertEquals(y, parallel.get(o.name()), where);
                double scale = 1;
                for (float v : y.data()) scale = Math.max(scale, Math.abs(v));
                assertTrue(y.maxAbsDifference(f64.get(o.name())) <= 1e-4 * scale, where);
            }
        }
    }
}
