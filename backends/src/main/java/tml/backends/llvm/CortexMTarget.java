package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMRelocStatic;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An ARM Cortex-M core: bare metal, static relocation, hardware single-precision floating point
 * (and double precision on the M7). Cores are picked by their command-line name.
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

    @Override protected int relocModel() { return LLVMRelocStatic; }

    @Override public void link(byte[] object, Path output) {
        throw new BackendException("linking for " + core.name() + " is not implemented yet");
    }
}
