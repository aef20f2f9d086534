package tml.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphParser;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Input;
import tml.ir.graph.IrParseException;
import tml.ir.graph.Verifier;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/** Before/Expected pass tests in the textual IR, and numeric comparison of models through the interpreter. */
public final class OptimizerTesting {
    private OptimizerTesting() {}

    public static final double TOLERANCE = 1e-4;

    public static Graph parse(String text) {
        try {
            return GraphParser.parse(text, "test.tir");
        } catch (IrParseException e) {
            throw new AssertionError(e.getMessage() + "\n" + text, e);
        }
    }

    /**
     * Runs {@code pass} (verified after, as the pass manager does) on {@code before} with weights from
     * seed 1, asserts the graph equals {@code expected} (structurally, after parsing both) and that the
     * interpreter computes the same outputs within {@link #TOLERANCE}. Returns the optimized model.
     */
    public static Model assertPass(Pass pass, String before, String expected) {
        Model in = Model.initialized(parse(before), 1);
        Model out = PassManager.of(List.of(pass)).verifyEach(true).run(in);
        Graph want = parse(expected);
        assertEquals(GraphPrinter.print(want), GraphPrinter.print(out.graph()), "IR after " + pass.name());
        assertEquals(want, out.graph());
        assertSameOutputs(in, out, 7);
        return out;
    }

    /** Random inputs in [-1, 1) for every input of {@code g}, from {@code seed}. */
    public static Map<String, Tensor> inputs(Graph g, long seed) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (Input i : g.inputs()) {
            Tensor t = Tensor.zeros(i.type().shape());
            for (int k = 0; k < t.numel(); k++) t.data()[k] = (float) (2 * r.nextDouble() - 1);
            m.put(i.name(), t);
        }
        return m;
    }

    /** The interpreter's outputs of both models on the same random inputs agree within {@link #TOLERANCE} (relative L2 per output). */
    public static void assertSameOutputs(Model reference, Model optimized, long inputSeed) {
        assertEquals(List.of(), Verifier.verify(optimized.graph()));
        Interpreter interp = new Interpreter(Accumulation.F32, false);
        Map<String, Tensor> in = inputs(reference.graph(), inputSeed);
        Map<String, Tensor> want = interp.run(reference.graph(), in, reference.weights());
        Map<String, Tensor> got = interp.run(optimized.graph(), in, optimized.weights());
        assertEquals(want.keySet(), got.keySet(), "output names");
        for (String name : want.keySet()) {
            double err = relativeError(want.get(name), got.get(name));
            if (!(err <= TOLERANCE)) {
                fail("output '" + name + "' of " + reference.graph().name() + " differs after optimization: relative error " + err
                        + "\nbefore:\n" + GraphPrinter.print(reference.graph()) + "after:\n" + GraphPrinter.print(optimized.graph()));
            }
        }
    }

    /**
     * ||a - b|| / max(||a||, 1e-6) over elements where both are finite; a NaN or infinity on one side
     * only is an infinite error.
     */
    public static double relativeError(Tensor a, Tensor b) {
        assertEquals(a.shape(), b.shape(), "shape");
        double diff = 0, norm = 0;
        for (int i = 0; i < a.numel(); i++) {
            float x = a.data()[i], y = b.data()[i];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                if (Float.compare(x, y) != 0 && !(Float.isNaN(x) && Float.isNaN(y))) return Double.POSITIVE_INFINITY;
                continue;
            }
            diff += ((double) x - y) * ((double) x - y);
            norm += (double) x * x;
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-6);
    }

    public static void assertContains(String haystack, String needle) {
        assertTrue(haystack.contains(needle), "expected to find\n" + needle + "\nin\n" + haystack);
    }
}
