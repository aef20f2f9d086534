package tml.backends.llvm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.ir.loop.LoopParser;
import tml.ir.loop.Program;

/**
 * The runner and the instruction clock on each board, with a hand-written entry in place of compiled
 * code: a spin loop of exactly two instructions per iteration ({@code subs; bne}), so the counts
 * of two runs must differ by exactly twice the difference of iterations, to within one SysTick tick
 * ({@link Board#instructionsPerTick()}), which checks the clock each board reports. Also the
 * messages for a missing QEMU and for data that does not fit.
 */
class McuRunnerTest {
    @TempDir Path tmp;

    static final String SPIN = """
            typedef unsigned int u32;
            static void spin(void **args) {
              u32 n = (u32)*(const float *)args[0];
              __asm__ volatile("1: subs %0, %0, #1\\n\\tbne 1b" : "+r"(n));
              *(float *)args[1] = *(const float *)args[0] + 1.0f;
            }
            typedef void (*tml_entry)(void **);
            const tml_entry tml_entries[] = {spin};
            const u32 tml_entry_count = 1;
            const u32 tml_entry_arena[] = {0};
            """;

    /** Sizes only: the runner needs the program's inputs, outputs, arena and weights. */
    static Program shape() throws Exception {
        return LoopParser.parse("""
            program @spin {
              arena 0
              weights 0
              buffer %n : f32[1] input 0
              buffer %y : f32[1] output 0
            }
            """, "spin.loop");
    }

    private McuImage spinImage(CortexMTarget t) throws Exception {
        Path dir = Files.createTempDirectory(tmp, t.name());
        Files.writeString(dir.resolve("spin.c"), SPIN);
        LlvmTools.run(List.of(LlvmTools.clang().toString(), "--target=" + t.triple(), "-mcpu=" + t.cpu(), "-mfloat-abi=hard", "-mthumb",
                "-ffreestanding", "-nostdlib", "-O2", "-c", "spin.c", "-o", "spin.o"), dir, "clang");
        Path elf = dir.resolve("image.elf");
        t.link(Files.readAllBytes(dir.resolve("spin.o")), elf);
        return new McuImage(t, List.of(shape()), elf, dir, null);
    }

    @Test
    void instructionClockOnEveryBoard() throws Exception {
        for (CortexMTarget.Core core : CortexMTarget.CORES) {
            CortexMTarget t = CortexMTarget.forName(core.name()).orElseThrow();
            try (McuImage image = spinImage(t)) {
                long[] iterations = {1_000_000, 3_000_000, 1_000_000};
                List<McuRunner.Job> jobs = new ArrayList<>();
                for (long n : iterations) jobs.add(new McuRunner.Job(0, new float[0], new float[][] {{n}}));
                List<McuRunner.Result> r = McuRunner.run(image, jobs);
                for (int k = 0; k < iterations.length; k++) assertEquals(iterations[k] + 1f, r.get(k).outputs()[0][0], core.name());
                long perTick = t.board().instructionsPerTick();
                long diff = r.get(1).instructions() - r.get(0).instructions();
                assertTrue(Math.abs(diff - 4_000_000) <= perTick, core.name() + ": 2M more iterations took " + diff + " more instructions");
                assertTrue(Math.abs(r.get(2).instructions() - r.get(0).instructions()) <= perTick, core.name() + ": same work, different counts");
                assertTrue(Math.abs(r.get(0).instructions() - 2_000_000) < 200, core.name() + ": " + r.get(0).instructions() + " for 2M instructions");
            }
        }
    }

    @Test
    void dataThatDoesNotFitTheBoardIsAClearError() throws Exception {
        CortexMTarget m4 = CortexMTarget.forName("cortex-m4").orElseThrow();
        try (McuImage image = spinImage(m4)) {
            float[] weights = new float[17 << 18]; // 17 MiB: more than the 16 MiB PSRAM
            BackendException e = assertThrows(BackendException.class,
                    () -> McuRunner.run(image, List.of(new McuRunner.Job(0, weights, new float[][] {{1}}))));
            assertTrue(e.getMessage().startsWith("program spin does not fit the memory of mps2-an386"), e.getMessage());
        }
    }

    @Test
    void missingQemuSaysHowToInstallIt() {
        BackendException e = assertThrows(BackendException.class, () -> McuRunner.findQemu(null, tmp.toString()));
        assertEquals("qemu-system-arm not found; install it with apt-get install qemu-system-arm", e.getMessage());
        assertTrue(McuRunner.findQemu(null, System.getenv("PATH")).endsWith("qemu-system-arm"), "CI installs qemu-system-arm: it must be on PATH");
    }
}
