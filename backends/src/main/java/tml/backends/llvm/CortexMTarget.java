package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMRelocStatic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/**
 * An ARM Cortex-M core: bare metal, static relocation, hardware single-precision floating point
 * (and double precision on the M7), 32-bit {@code index}. Cores are picked by their command-line
 * name; each runs in QEMU on one MPS2 board ({@link Board}). Modules get an entry table
 * ({@link EntryTable}); {@link #link} makes an ELF image with the runtime of {@code runtime/cortex-m}.
 */
public final class CortexMTarget extends LlvmTarget {
    /** A core: its name on the command line, LLVM triple, CPU, features and the QEMU board that emulates it. */
    public record Core(String name, String triple, String cpu, String features, String qemuMachine) {}

    public static final List<Core> CORES = List.of(
            new Core("cortex-m4", "thumbv7em-none-eabihf", "cortex-m4", "", "mps2-an386"),
            new Core("cortex-m7", "thumbv7em-none-eabihf", "cortex-m7", "", "mps2-an500"),
            new Core("cortex-m33", "thumbv8m.main-none-eabihf", "cortex-m33", "", "mps2-an505"));

    private final Core core;

    private CortexMTarget(Core core) { this.core = core; }

    /** The target of a core name (cortex-m4, cortex-m7, cortex-m33), if it is one. */
    public static Optional<CortexMTarget> forName(String name) {
        return CORES.stream().filter(c -> c.name().equals(name)).findFirst().map(CortexMTarget::new);
    }

    public Core core() { return core; }

    @Override public String name() { return core.name(); }
    @Override public String triple() { return core.triple(); }
    @Override public String cpu() { return core.cpu(); }
    @Override public String features() { return core.features(); }

    /** No f32 SIMD on these cores: one lane. */
    @Override public int vectorWidth() { return 1; }

    /**
     * No {@code llvm.fmuladd}: LLVM's Cortex-M4 and M7 code expands it into a separate {@code vmul}
     * and {@code vadd} anyway, and with the intrinsic MobileNetV2-0.35@96 took 9% more instructions
     * on the M4 in QEMU (68.4M against 62.7M; the cause was not looked into).
     */
    @Override protected boolean contractMultiplyAdd() { return false; }

    @Override protected int relocModel() { return LLVMRelocStatic; }

    /** Whether the core computes f64 in hardware (the M7's FPv5-D16); the others have single precision only. */
    public boolean hardwareF64() { return core.name().equals("cortex-m7"); }

    /** The QEMU board of the core. */
    public Board board() {
        return Board.forMachine(core.qemuMachine()).orElseThrow(() -> new IllegalStateException("no board " + core.qemuMachine()));
    }

    /** The table of entries the runtime calls programs through ({@link EntryTable}). */
    @Override protected void addSupport(LLVMContextRef ctx, LLVMModuleRef mod, List<Entry> entries) {
        for (Entry e : entries) {
            for (tml.ir.loop.Buffer b : e.program().buffers()) {
                if (b.bytes() >= Integer.MAX_VALUE) {
                    throw new BackendException("buffer '" + b.name() + "' of " + e.program().name() + " has " + b.bytes()
                            + " bytes: more than a 32-bit " + core.name() + " can address");
                }
            }
        }
        EntryTable.add(ctx, mod, entries);
    }

    /**
     * Links the object with the runtime ({@link McuRuntime}) into an ELF image for the core's QEMU
     * board: {@code ld.lld -T MACHINE.ld --gc-sections}.
     */
    @Override public void link(byte[] object, Path output) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("tml-link");
            Path obj = tmp.resolve("module.o");
            Files.write(obj, object);
            Path script = McuRuntime.linkerScript(core.qemuMachine());
            List<String> cmd = new ArrayList<>(List.of(LlvmTools.lld().toString(), "-T", script.toString(), "-L", script.getParent().toString(),
                    "--gc-sections", "-o", output.toAbsolutePath().toString(), obj.toString()));
            for (Path p : McuRuntime.objects(core)) cmd.add(p.toString());
            LlvmTools.run(cmd, tmp, "ld.lld (" + core.name() + " image)");
        } catch (IOException e) {
            throw new BackendException("cannot link for " + core.name() + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) HostTarget.deleteTree(tmp);
        }
    }
}
