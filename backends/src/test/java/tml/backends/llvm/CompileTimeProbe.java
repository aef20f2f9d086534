package tml.backends.llvm;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.loop.LoopPrinter;
import tml.optimizer.memory.MemoryPlan;

/** Prints the random graphs that take longest to compile at -O3 (a diagnostic, not a test: -Dtml.probe=true). */
@EnabledIfSystemProperty(named = "tml.probe", matches = "true")
class CompileTimeProbe {
    @Test
    @EnabledIfSystemProperty(named = "tml.asm", matches = "true")
    void pointwiseAsm() throws Exception {
        Graph g = tml.ir.graph.GraphParser.parse("""
                graph @Pw {
                  input %x : f32[1,32,16,16]
                  param @w : f32[64,32,1,1] = uniform(0.2)
                  %conv = conv2d(%x, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,64,16,16]
                  output %y = %conv
                }
                """, "pw.tir");
        HostTarget t = HostTarget.get();
        var a = t.compile(List.of(new LlvmTarget.Entry(HostBackend.plan(g, t).program(), "f")), OptLevel.O3, true, true, false);
        System.out.println(a.llvmIr());
        System.out.println(a.assembly());
    }

    @Test
    @EnabledIfSystemProperty(named = "tml.perkernel", matches = "true")
    void perKernel() {
        HostTarget t = HostTarget.get();
        long seed = Long.getLong("tml.seed", 9);
        tml.ir.loop.Program p = HostBackend.plan(RandomGraphs.random(seed), t).program();
        if (Boolean.getBoolean("tml.timepasses")) {
            org.bytedeco.llvm.global.LLVM.LLVMParseCommandLineOptions(2, new org.bytedeco.javacpp.PointerPointer<>("tml", "-time-passes"), new org.bytedeco.javacpp.BytePointer(""));
        }
        for (tml.ir.loop.Kernel k : p.kernels()) {
            if (!k.name().equals(System.getProperty("tml.kernel", k.name()))) continue;
            tml.ir.loop.Program one = new tml.ir.loop.Program(p.name(), p.arenaBytes(), p.weightBytes(), p.buffers(),
                    com.google.common.collect.ImmutableList.of(k));
            long t0 = System.nanoTime();
            t.compile(List.of(new LlvmTarget.Entry(one, "f")), OptLevel.O3, false, false, true);
            System.out.println("kernel " + k.name() + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "tml.slowest", matches = "true")
    void slowest() {
        HostTarget t = HostTarget.get();
        List<long[]> times = new ArrayList<>();
        for (long seed = 0; seed < 60; seed++) {
            MemoryPlan plan = HostBackend.plan(RandomGraphs.random(seed), t);
            long t0 = System.nanoTime();
            t.compile(List.of(new LlvmTarget.Entry(plan.program(), "f")), OptLevel.valueOf(System.getProperty("tml.level", "O3")), false, false, true);
            times.add(new long[] {(System.nanoTime() - t0) / 1_000_000, seed});
        }
        times.sort((a, b) -> Long.compare(b[0], a[0]));
        for (int i = 0; i < 5; i++) System.out.println("seed " + times.get(i)[1] + ": " + times.get(i)[0] + " ms");
        Graph g = RandomGraphs.random(times.get(0)[1]);
        System.out.println(GraphPrinter.print(g));
        System.out.println(LoopPrinter.print(HostBackend.plan(g, t).program()));
    }
}
