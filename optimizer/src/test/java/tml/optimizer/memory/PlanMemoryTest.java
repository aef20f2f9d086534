package tml.optimizer.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.IrParseException;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.Buffer;
import tml.ir.loop.LoopParser;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;
import tml.optimizer.Model;
import tml.optimizer.OptimizerTesting;
import tml.optimizer.lower.LowerGraph;
import tml.runtime.Tensor;

class PlanMemoryTest {
    static long end(Program p) {
        long end = 0;
        for (Buffer b : p.buffers()) {
            long off = switch (b.role()) {
                case Buffer.Role.Arena a -> a.offset();
                case Buffer.Role.Scratch s -> s.offset();
                default -> -1;
            };
            if (off >= 0) end = Math.max(end, off + b.bytes());
        }
        return end;
    }

    /** Property: over 200 random graphs no two buffers live at once share a byte, and the arena is exactly what the buffers span. */
    @Test
    void randomGraphsNeverOverlapLiveBuffersAndTheArenaIsExact() {
        for (long seed = 0; seed < 200; seed++) {
            Graph g = RandomGraphs.random(seed);
            Program lowered = LowerGraph.lower(g);
            MemoryPlan plan = PlanMemory.plan(lowered);
            Program p = plan.program();
            String where = "seed " + seed + "\n" + plan.describe();
            assertEquals(List.of(), LoopVerifier.verify(p), where);
            assertEquals(List.of(), PlanMemory.check(p), where);
            assertEquals(end(p), p.arenaBytes(), where);
            assertEquals(plan.arenaBytes(), p.arenaBytes(), where);
            assertTrue(plan.arenaBytes() >= plan.liveLowerBound(), where);
            for (MemoryPlan.Placement x : plan.placements()) assertEquals(0, x.offset() % PlanMemory.ALIGN, where);
            // the planned program computes exactly what the unplanned one does
            Model m = Model.initialized(g, seed);
            Map<String, Tensor> in = OptimizerTesting.inputs(g, seed);
            float[][] a = tml.optimizer.lower.LowerGraphTest.run(lowered, g, in, m.weights());
            float[][] b = tml.optimizer.lower.LowerGraphTest.run(p, g, in, m.weights());
            for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], where);
        }
    }

    @Test
    void elementwiseChainsRunInPlace() {
        Graph g = OptimizerTesting.parse("""
                graph @Chain {
                  input %x : f32[1,8,4,4]
                  param @w : f32[8,8,1,1] = uniform(0.3)
                  %c = conv2d(%x, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,8,4,4]
                  %r = relu(%c) : f32[1,8,4,4]
                  %s = mul_scalar(%r) {scalar = 2.0, scalar_left = false} : f32[1,8,4,4]
                  %f = flatten(%s) {start_axis = 1} : f32[1,128]
                  %t = tanh(%f) : f32[1,128]
                  output %y = %t
                }
                """);
        MemoryPlan plan = PlanMemory.plan(LowerGraph.lower(g));
        assertEquals(512, plan.arenaBytes(), plan.describe());
        assertEquals(1, plan.placements().size(), plan.describe());
        assertEquals(List.of("c", "r", "s", "f"), plan.placements().get(0).members(), plan.describe());
        assertEquals(512 + 512, plan.pairLowerBound());
        assertEquals(512, plan.liveLowerBound());
    }

    /** a (64 B) lives 0..1, b (256 B) 0..3, c (32 B) 0..3, d (48 B) 2..3; scratch s1 (40 B), s2 (12 B) in kernel 0, s3 (80 B) in kernel 2. */
    static final String FOUR_KERNELS = """
                program @p {
                  arena 0
                  weights 0
                  buffer %a : f32[16] arena ?
                  buffer %b : f32[64] arena ?
                  buffer %c : f32[8] arena ?
                  buffer %d : f32[12] arena ?
                  buffer %s1 : f32[10] scratch ?
                  buffer %s2 : f32[3] scratch ?
                  buffer %s3 : f32[20] scratch ?
                  buffer %y : f32[1] output 0
                  kernel @k0 {
                    %a[0] = 1.0
                    %b[0] = 1.0
                    %c[0] = 1.0
                    %s1[0] = 1.0
                    %s2[0] = 1.0
                  }
                  kernel @k1 {
                    %b[1] = %a[0]
                  }
                  kernel @k2 {
                    %d[0] = %c[0]
                    %s3[0] = 1.0
                  }
                  kernel @k3 {
                    %y[0] = %b[0] + %c[0] + %d[0]
                  }
                }
                """;

    @Test
    void largestFirstReusesDeadPlacesAndScratchFollowsTheActivations() throws IrParseException {
        // a (64 B) lives 0..1, b (256 B) 0..3, c (32 B) 0..3, d (48 B) 2..3: largest first; d reuses the place a had
        Program p = LoopParser.parse(FOUR_KERNELS, "p.loop");
        MemoryPlan plan = PlanMemory.plan(p);
        Program q = plan.program();
        assertEquals(List.of(), PlanMemory.check(q));
        Map<String, Long> off = new java.util.HashMap<>();
        for (Buffer b : q.buffers()) {
            if (b.role() instanceof Buffer.Role.Arena a) off.put(b.name(), a.offset());
            if (b.role() instanceof Buffer.Role.Scratch s) off.put(b.name(), s.offset());
        }
        assertEquals(0, off.get("b"));
        assertEquals(256, off.get("a"));
        assertEquals(320, off.get("c"));
        assertEquals(256, off.get("d"), plan.describe());
        assertEquals(352, plan.activationBytes());
        // scratch: kernel 0 needs 40 + 12 (aligned 48 + 12 = 60), kernel 2 needs 80; region after the activations
        assertEquals(80, plan.scratchBytes());
        assertEquals(352, off.get("s1"));
        assertEquals(352 + 48, off.get("s2"));
        assertEquals(352, off.get("s3"));
        assertEquals(352 + 80, plan.arenaBytes());
        assertEquals(256 + 32 + 64, plan.liveLowerBound());
    }

    @Test
    void peakIsTheKernelWithTheMostLiveBytesAndListsWhatIsLiveThere() throws IrParseException {
        MemoryPlan plan = PlanMemory.plan(LoopParser.parse(FOUR_KERNELS, "p.loop"));
        // live bytes per kernel: k0 64+256+32+40+12 = 404, k1 352, k2 256+32+48+80 = 416, k3 336
        MemoryPlan.Peak peak = plan.peak();
        assertEquals(2, peak.kernel());
        assertEquals("k2", peak.kernelName());
        assertEquals(416, peak.liveBytes());
        assertEquals(List.of("b", "s3", "d", "c"), peak.live().stream().map(MemoryPlan.Placement::name).toList());
        assertEquals(List.of(256L, 80L, 48L, 32L), peak.live().stream().map(MemoryPlan.Placement::bytes).toList());
        // the peak is read off the plan; planning again gives the same plan
        assertEquals(plan, PlanMemory.plan(LoopParser.parse(FOUR_KERNELS, "p.loop")));
    }

    @Test
    void peakLiesBetweenTheLiveBoundAndTheArenaOnRandomGraphs() {
        for (long seed = 0; seed < 100; seed++) {
            MemoryPlan plan = PlanMemory.plan(LowerGraph.lower(RandomGraphs.random(seed)));
            MemoryPlan.Peak peak = plan.peak();
            String where = "seed " + seed + ", peak " + peak + "\n" + plan.describe();
            assertTrue(peak.liveBytes() >= plan.liveLowerBound(), where);
            assertTrue(peak.liveBytes() <= plan.arenaBytes(), where);
            assertEquals(peak.liveBytes(), peak.live().stream().mapToLong(MemoryPlan.Placement::bytes).sum(), where);
        }
    }
}
