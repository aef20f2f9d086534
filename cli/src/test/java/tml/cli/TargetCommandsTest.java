package tml.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.backends.elf.ElfSections;
import tml.frontend.Frontend;

/**
 * {@code --target} resolution, and that {@code tmlc report --target} states exactly what
 * {@code tmlc build} produces: the arena of the generated code, the weights file and the object's sections.
 */
class TargetCommandsTest {
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String TINY = Cli.ROOT.resolve("stdlib/models/tiny_cnn.tml").toString();

    @TempDir Path dir;

    static {
        System.setProperty("tml.home", Cli.ROOT.toString());
    }

    @Test
    void reportOnTheHostMatchesWhatBuildWrites() throws Exception {
        Cli.Result r = Cli.run(LIMIT, "report", TINY, "--target", "host", "--json");
        assertEquals(Main.OK, r.code(), r::toString);
        JsonObject t = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("target");
        JsonObject sram = t.getAsJsonObject("sram"), flash = t.getAsJsonObject("flash");

        Path out = dir.resolve("out");
        Cli.Result b = Cli.run(LIMIT, "build", TINY, "--target", "host", "-o", out.toString(), "--emit", "obj");
        assertEquals(Main.OK, b.code(), b::toString);
        Matcher m = Pattern.compile("#define TINYCNN_ARENA_BYTES (\\d+)u").matcher(Files.readString(out.resolve("TinyCNN.h")));
        assertTrue(m.find());
        assertEquals(Long.parseLong(m.group(1)), sram.get("arenaBytes").getAsLong());
        assertTrue(sram.get("activationBytes").getAsLong() > 0 && sram.get("arenaBytes").getAsLong() >= sram.get("activationBytes").getAsLong());
        assertEquals(Files.size(out.resolve("TinyCNN.weights")), flash.get("weightBytes").getAsLong());
        ElfSections obj = ElfSections.parse(Files.readAllBytes(out.resolve("TinyCNN.o")));
        assertEquals(obj.imageBytes(), flash.get("codeBytes").getAsLong());
        assertEquals(obj.bytesOf(".text"), flash.get("textBytes").getAsLong());
        assertEquals(flash.get("codeBytes").getAsLong() + flash.get("weightBytes").getAsLong(), flash.get("totalBytes").getAsLong());
        assertEquals(sram.get("arenaBytes").getAsLong() + sram.get("inputBytes").getAsLong() + sram.get("outputBytes").getAsLong()
                + sram.get("staticDataBytes").getAsLong(), sram.get("totalBytes").getAsLong());
        assertFalse(t.has("sramFits"), "a bare core has no budget");
    }

    @Test
    void reportOverBudgetExitsZeroButBuildRefusesAndWritesNothing() {
        String[] model = {"stdlib/models/mobilenet_v2.tml", "--param", "width=0.35", "--param", "resolution=96", "--param", "classes=10"};
        String file = Cli.ROOT.resolve(model[0]).toString();
        Cli.Result r = Cli.run(LIMIT, "report", file, model[1], model[2], model[3], model[4], model[5], model[6], "--target", "stm32f412", "--json");
        assertEquals(Main.OK, r.code(), r::toString);
        JsonObject t = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("target");
        long sram = t.getAsJsonObject("sram").get("totalBytes").getAsLong();
        assertEquals(sram <= 256 * 1024, t.get("sramFits").getAsBoolean(), r::toString);
        assertEquals(256 * 1024, t.get("sramBudgetBytes").getAsLong());

        Path out = dir.resolve("never");
        Cli.Result b = Cli.run(LIMIT, "build", file, model[1], model[2], model[3], model[4], model[5], model[6], "--target", "stm32f412", "-o", out.toString());
        if (t.get("sramFits").getAsBoolean() && t.get("flashFits").getAsBoolean()) {
            fail("expected this model not to fit the STM32F412: " + r.out());
        }
        assertEquals(Main.ERRORS, b.code(), b::toString);
        assertTrue(b.err().contains("needs " + String.format(java.util.Locale.ROOT, "%,d", sram) + " bytes of SRAM, but target 'stm32f412' has 262,144"), b::toString);
        assertFalse(Files.exists(out), "a refused build wrote " + out);
    }

    @Test
    void resolvesUserTargetsBeforeCoresAndBoardsIgnoringCaseAndDashes() {
        Frontend fe = new Frontend(java.util.List.of());
        fe.loadText("t.tml", """
                target STM32F746 {
                  core = "cortex-m4"
                  sram = 100KiB
                  flash = 200KiB
                }
                """);
        TargetResolver.Resolution own = TargetResolver.resolve("stm32f746", fe, "t.tml");
        assertEquals(Optional.of("cortex-m4"), own.board().map(Board::core), own.diagnostics().toString());
        assertEquals(100 * 1024, own.board().orElseThrow().sramBytes());

        Board std = TargetResolver.resolve("STM32F746", null, "x").board().orElseThrow();
        assertEquals("cortex-m7", std.core());
        assertEquals(320 * 1024, std.sramBytes());
        assertEquals(1024 * 1024, std.flashBytes());
        assertEquals(216e6, std.clockHz());

        Board qemu = TargetResolver.resolve("mps2-an505", null, "x").board().orElseThrow();
        assertEquals("cortex-m33", qemu.core());
        assertEquals(Optional.of("mps2-an505"), qemu.qemuMachine());

        Board core = TargetResolver.resolve("cortex-m7", null, "x").board().orElseThrow();
        assertFalse(core.hasBudget());
        assertTrue(core.declSpan().isEmpty());

        TargetResolver.Resolution none = TargetResolver.resolve("stm32h734", null, "x");
        assertTrue(none.board().isEmpty());
        assertTrue(none.diagnostics().get(0).message().contains("did you mean 'stm32h743'?"), none.diagnostics().toString());
    }

    @Test
    void everyStandardBoardHasACoreWithACodeGeneratorAndBudgets() {
        assertEquals(java.util.List.of("stm32f412", "stm32f746", "stm32f765", "stm32h743", "mps2_an386", "mps2_an500", "mps2_an505"),
                TargetResolver.stdlibBoards().stream().map(Board::name).toList());
        for (Board b : TargetResolver.stdlibBoards()) {
            assertTrue(TargetResolver.CORES.contains(b.core()), b.toString());
            assertTrue(b.hasBudget() && b.clockHz() > 0, b.toString());
            assertEquals(b.name().startsWith("mps2_"), b.qemuMachine().isPresent(), b.toString());
        }
    }
}
