package tml.optimizer.lower;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.IrParseException;
import tml.ir.graph.Output;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.LoopInterpreter;
import tml.ir.loop.LoopParser;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.Model;
import tml.optimizer.OptimizerTesting;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * Lowering every op: 200 random graphs (and the same graphs after the -O3 graph pipeline, whose
 * fused conv2d/linear epilogues lowering must handle) lower to verified programs whose text
 * round-trips, and the loop interpreter computes the graph interpreter's outputs on them.
 */
public class LowerGraphTest {
    static final int GRAPHS = 200;

    public static float[][] run(Program p, Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> w.put(k, v.data()));
        float[][] in = new float[g.inputs().size()][];
        for (int i = 0; i < in.length; i++) in[i] = inputs.get(g.inputs().get(i).name()).data();
        float[][] out = p.outputs().stream().map(b -> new float[Math.toIntExact(b.count())]).toArray(float[][]::new);
        new LoopInterpreter(p).run(in, WeightBlob.pack(p, w), out);
        return out;
    }

    static double relativeError(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < b.length; i++) {
            if (Float.isNaN(b[i]) && Float.isNaN(a[i])) continue;
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff == 0 ? 0 : diff / Math.max(scale, 1e-12);
    }

    @Test
    void randomGraphsLowerVerifyRoundTripAndCompute() throws IrParseException {
        Interpreter interp = new Interpreter(Accumulation.F32, false);
        int fused = 0;
        for (long seed = 0; seed < GRAPHS; seed++) {
            Graph g = RandomGraphs.random(seed);
            Model reference = Model.initialized(g, seed);
            Map<String, Tensor> in = OptimizerTesting.inputs(g, seed);
            Map<String, Tensor> want = interp.run(g, in, reference.weights());
            List<Model> variants = new ArrayList<>(List.of(reference));
            Model optimized = PassManager.forLevel(3, "host").run(reference);
            if (!optimized.graph().equals(g)) variants.add(optimized);
            for (Model m : variants) {
                Program p = LowerGraph.lower(m.graph());
                String where = "seed " + seed + "\n" + GraphPrinter.print(m.graph()) + LoopPrinter.print(p);
                assertEquals(List.of(), LoopVerifier.verify(p), where);
                assertEquals(p, LoopParser.parse(LoopPrinter.print(p), "lowered.loop"), where);
                float[][] got = run(p, m.graph(), in, m.weights());
                for (int i = 0; i < g.outputs().size(); i++) {
                    Output o = g.outputs().get(i);
                    double err = relativeError(got[i], want.get(o.name()).data());
                    assertTrue(err <= 1e-4, "output " + o.name() + " off by " + err + " for " + where);
                }
                if (m != reference && m.graph().nodes().stream().anyMatch(n -> n.op() instanceof tml.ir.graph.Op.Conv2d c && !c.fusion().isNone()
                        || n.op() instanceof tml.ir.graph.Op.Linear l && !l.fusion().isNone())) fused++;
            }
        }
        assertTrue(fused >= 10, "only " + fused + " graphs had fused ops");
    }

    @Test
    void convolutionScheduleIsExplicit() {
        Graph g = OptimizerTesting.parse("""
                graph @Conv {
                  input %x : f32[1,3,8,8]
                  param @w : f32[16,3,3,3] = uniform(0.2)
                  param @b : f32[16] = uniform(0.2)
                  %conv = conv2d(%x, @w, @b) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,16,8,8]
                  output %y = %conv
                }
                """);
        // with 8-lane vectors: the input copied into a zeroed padded scratch buffer; rows of 8 are
        // shorter than two vectors, so tiles of 16 run over the padded rows laid end to end (the
        // columns past a row's end computed and dropped), 4 output channels x 16 columns per tile,
        // each input load shared by the block's channels; then the sums are copied out with the bias
        String tiled = LoopPrinter.print(LowerGraph.lower(g));
        assertTrue(tiled.contains("buffer %conv.padded : f32[300] scratch ?"), tiled);
        assertTrue(tiled.contains("buffer %conv.sums : f32[1248] scratch ?"), tiled);
        assertTrue(tiled.contains("%conv.padded[($pc * 10 + $iy + 1) * 10 + $ix + 1] = %x[($pc * 8 + $iy) * 8 + $ix]"), tiled);
        assertTrue(tiled.contains("""
                    for $ob in 0 .. 4 {
                      var $ocb : index = min($ob * 4, 12)
                      for $t in 0 .. 5 {
                        var $xt : index = min($t * 16, 62)
                        for $l in 0 .. 16 vectorize(16) {
                """), tiled);
        assertTrue(tiled.contains("""
                          for $ic in 0 .. 3 {
                            for $ky in 0 .. 3 {
                              var $xv0 : f32 = %conv.padded[($ic * 10 + $ky) * 10 + $xt + $l]
                              $acc0 = $acc0 + %w[($ocb * 3 + $ic) * 9 + $ky * 3] * $xv0
                """), tiled);
        assertTrue(tiled.contains("%conv.sums[($ocb + 3) * 78 + $xt + $l] = $acc3"), tiled);
        assertTrue(tiled.contains("%conv[$oc * 64 + $oy * 8 + $ox] = $s + %b[$oc]"), tiled);
        // narrower vectors: four output channels share each input load; border columns clamp their
        // taps, interior ones take all taps (vectorized when there are at least 4)
        String text = LoopPrinter.print(LowerGraph.lower(g, new LowerGraph.Options(4)));
        assertTrue(text.contains("""
                    for $ob in 0 .. 4 {
                      for $oy in 0 .. 8 {
                        for $ox in 0 .. 1 {
                          var $acc0 : f32 = 0.0
                """), text);
        assertTrue(text.contains("""
                          for $ic in 0 .. 3 {
                            for $ky in max(0, 1 - $oy) .. min(3, 9 - $oy) {
                              for $kx in max(0, 1 - $ox) .. min(3, 9 - $ox) {
                                var $x : f32 = %x[($ic * 8 + $oy + $ky - 1) * 8 + $ox + $kx - 1]
                                $acc0 = $acc0 + %w[(($ob * 4 * 3 + $ic) * 3 + $ky) * 3 + $kx] * $x
                """), text);
        assertTrue(text.contains("for $ox in 1 .. 7 vectorize(4) {\n"), text);
        assertTrue(text.contains("%conv[(($ob * 4 + 3) * 8 + $oy) * 8 + $ox] = $acc3 + %b[$ob * 4 + 3]"), text);
        assertTrue(text.contains("buffer %conv : f32[1024] output 0"), text);
    }

    @Test
    void outputsNamingInputsParamsOrOneValueTwiceAreCopied() throws IrParseException {
        Graph g = OptimizerTesting.parse("""
                graph @Outs {
                  input %x : f32[4]
                  param @p : f32[4] = const(2.0)
                  %r = relu(%x) : f32[4]
                  %v = reshape(%r) {shape = [2,2]} : f32[2,2]
                  output %a = %r
                  output %b = %r
                  output %c = %x
                  output %d = @p
                  output %e = %v
                }
                """);
        Program p = LowerGraph.lower(g);
        assertEquals(List.of(), LoopVerifier.verify(p));
        assertEquals(5, p.outputs().size());
        Map<String, Tensor> in = Map.of("x", Tensor.vector(-1, 2, -3, 4));
        Model m = Model.initialized(g, 0);
        float[][] out = run(p, g, in, m.weights());
        assertArrayEquals(new float[] {0, 2, 0, 4}, out[0]);
        assertArrayEquals(new float[] {0, 2, 0, 4}, out[1]);
        assertArrayEquals(new float[] {-1, 2, -3, 4}, out[2]);
        assertArrayEquals(new float[] {2, 2, 2, 2}, out[3]);
        assertArrayEquals(new float[] {0, 2, 0, 4}, out[4]);
    }
}
