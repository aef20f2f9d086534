package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.cli.Main;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/**
 * {@code tmlc run/build --target cortex-m4|cortex-m7|cortex-m33}: outputs equal to the host's,
 * instruction counts on stderr, the files of build, and the errors (unknown target or emit kind:
 * usage, exit 2; a model too big for the board: exit 1, one line, no stack trace). Needs QEMU.
 */
class McuCliTest {
    @TempDir Path tmp;

    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final String TINY = REPO.resolve("stdlib/models/tiny_cnn.tml").toString();

    @BeforeAll
    static void home() { System.setProperty("tml.home", REPO.toString()); }

    static LangTest.Result tmlc(String... args) { return LangTest.tmlc(List.of(args)); }

    private Path input(String name, List<Integer> shape, long seed) throws Exception {
        Tensor t = Tensor.zeros(shape);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) r.nextDouble(-1, 1);
        Path p = tmp.resolve(name);
        Files.write(p, Npy.encode(t));
        return p;
    }

    @Test
    void runOnEachCoreMatchesTheHostAndCountsInstructions() throws Exception {
        Path x = input("x.npy", List.of(2, 1, 1, 28, 28), 3); // a batch of two samples
        LangTest.Result host = tmlc("run", TINY, "--target", "host", "--input", x.toString(), "--output", tmp.resolve("host.npy").toString());
        assertEquals(Main.OK, host.exit(), host.err());
        float[] want = Npy.read(tmp.resolve("host.npy")).data();
        Pattern count = Pattern.compile("^(cortex-m\\d+) \\((mps2-an\\d+)\\): sample (\\d): (\\d+) instructions$", Pattern.MULTILINE);
        for (String core : List.of("cortex-m4", "cortex-m7", "cortex-m33")) {
            Path y = tmp.resolve(core + ".npy");
            LangTest.Result r = tmlc("run", TINY, "--target", core, "--input", x.toString(), "--output", y.toString());
            assertEquals(Main.OK, r.exit(), r.err());
            Tensor got = Npy.read(y);
            assertEquals(List.of(2, 1, 10), got.shape());
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got.data()[i], 1e-5f * Math.max(1, Math.abs(want[i])), core + " value " + i);
            Matcher m = count.matcher(r.err());
            int samples = 0;
            while (m.find()) {
                assertEquals(core, m.group(1));
                long n = Long.parseLong(m.group(4));
                assertTrue(n > 1_000_000 && n < 100_000_000, core + ": " + n + " instructions for TinyCNN");
                samples++;
            }
            assertEquals(2, samples, "one count per sample on stderr:\n" + r.err());
        }
    }

    @Test
    void buildWritesTheRequestedFiles() throws Exception {
        Path dir = tmp.resolve("out");
        LangTest.Result r = tmlc("build", TINY, "--target", "cortex-m33", "-o", dir.toString(), "--emit", "llvm-ir,asm,obj,elf");
        assertEquals(Main.OK, r.exit(), r.err());
        for (String f : List.of("TinyCNN.elf", "TinyCNN.o", "TinyCNN.s", "TinyCNN.ll", "TinyCNN.weights", "TinyCNN.h")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        byte[] elf = Files.readAllBytes(dir.resolve("TinyCNN.elf"));
        assertEquals(0x7f, elf[0]);
        assertEquals('E', elf[1]);
        assertEquals(40, elf[18]); // e_machine EM_ARM
        assertTrue(Files.readString(dir.resolve("TinyCNN.ll")).contains("thumbv8m.main-none-eabihf"));
        assertTrue(Files.readString(dir.resolve("TinyCNN.s")).contains(".cpu\tcortex-m33"));
    }

    @Test
    void errors() throws Exception {
        LangTest.Result unknown = tmlc("run", TINY, "--target", "cortex-m99");
        assertEquals(Main.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("unknown target 'cortex-m99' for run; available: interp, host, cortex-m4, cortex-m7, cortex-m33"), unknown.err());
        LangTest.Result build = tmlc("build", TINY, "--target", "cortex-m0", "-o", tmp.toString());
        assertEquals(Main.ERRORS, build.exit());
        assertTrue(build.err().contains("unknown target 'cortex-m0'; did you mean 'cortex-m4'? (cores: host, cortex-m4, cortex-m7, cortex-m33; boards:"), build.err());
        LangTest.Result emit = tmlc("build", TINY, "--target", "cortex-m4", "-o", tmp.toString(), "--emit", "so");
        assertEquals(Main.USAGE, emit.exit());
        assertTrue(emit.err().contains("--emit: unknown kind 'so' for --target cortex-m4; kinds: llvm-ir, asm, obj, elf, loop"), emit.err());

        Path x = input("r.npy", List.of(1, 3, 32, 32), 4);
        LangTest.Result big = tmlc("run", REPO.resolve("stdlib/models/resnet.tml").toString(), "--network", "ResNet18", "--param", "resolution=32",
                "--target", "cortex-m4", "--input", x.toString(), "--output", tmp.resolve("y.npy").toString());
        assertEquals(Main.ERRORS, big.exit());
        assertTrue(big.err().startsWith("tmlc: error: program ResNet18 does not fit the memory of mps2-an386"), big.err());
        assertEquals(1, big.err().strip().lines().count(), big.err());
        assertFalse(Files.exists(tmp.resolve("y.npy")));
    }
}
