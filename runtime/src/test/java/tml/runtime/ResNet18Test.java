package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;

class ResNet18Test {
    private static Tensor image(int resolution) {
        Tensor x = Tensor.zeros(1, 3, resolution, resolution);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.numel(); i++) x.data()[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    @Test void runsEndToEndAndParallelismDoesNotChangeResults() {
        Graph g = ResNet18.build(32);
        Map<String, Tensor> params = Weights.initialize(g, 0);
        assertEquals(11_689_512, g.parameterCount());
        Tensor x = image(32);
        Tensor serial = new Interpreter(Accumulation.F32, false).run(g, Map.of("x", x), params).get("logits");
        Tensor parallel = new Interpreter(Accumulation.F32, true).run(g, Map.of("x", x), params).get("logits");
        Tensor f64 = new Interpreter(Accumulation.F64, true).run(g, Map.of("x", x), params).get("logits");
        assertEquals(List.of(1, 1000), serial.shape());
        assertEquals(serial, parallel);
        assertTrue(serial.maxAbsDifference(f64) < 1e-4, "F32 vs F64: " + serial.maxAbsDifference(f64));
        for (float v : serial.data()) assertTrue(Float.isFinite(v));
    }

    /** Times ResNet-18 at 224x224: {@code java ... tml.runtime.ResNet18Test [threads]}. */
    public static void main(String[] args) {
        Graph g = ResNet18.build(224);
        Map<String, Tensor> params = Weights.initialize(g, 0);
        Tensor x = image(224);
        for (boolean parallel : new boolean[] {false, true}) {
            Interpreter interp = new Interpreter(Accumulation.F32, parallel);
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                Tensor y = interp.run(g, Map.of("x", x), params).get("logits");
                System.out.printf("parallel=%s run %d: %.2f s (logit 0 = %g)%n", parallel, i, (System.nanoTime() - t0) / 1e9, y.data()[0]);
            }
        }
    }
}
