package tml.backends.llvm;

import java.nio.file.Path;
import java.util.List;
import tml.ir.loop.Program;

/**
 * A linked Cortex-M ELF image holding {@code programs} (entry {@code i} of its entry table is
 * program {@code i}) in a temporary directory, which {@link #close()} deletes.
 */
public record McuImage(CortexMTarget target, List<Program> programs, Path elf, Path directory, LlvmTarget.Artifacts artifacts)
        implements AutoCloseable {
    @Override public void close() { HostTarget.deleteTree(directory); }
}
