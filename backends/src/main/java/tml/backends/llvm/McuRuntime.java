package tml.backends.llvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare-metal runtime every Cortex-M image is linked with: the C sources and linker scripts of
 * {@code runtime/cortex-m} (packaged into this module's jar as resources under
 * {@code tml/backends/llvm/cortex-m}), extracted once per JVM and compiled once per core by the clang
 * of the org.bytedeco:llvm jar ({@code -ffreestanding -nostdlib}: no toolchain besides that jar).
 */
final class McuRuntime {
    private McuRuntime() {}

    static final List<String> SOURCES = List.of("startup.c", "semihost.c", "mem.c", "main.c");
    static final List<String> OTHER_FILES = List.of("tml_rt.h", "sections.ld", "mps2-an386.ld", "mps2-an500.ld", "mps2-an505.ld");
    private static final String RESOURCES = "/tml/backends/llvm/cortex-m/";

    private static Path sources;
    private static final Map<String, List<Path>> objects = new HashMap<>();

    /** The directory holding the runtime's sources and linker scripts. */
    static synchronized Path directory() {
        if (sources != null) return sources;
        try {
            Path dir = Files.createTempDirectory("tml-cortex-m-runtime");
            List<String> all = new ArrayList<>(SOURCES);
            all.addAll(OTHER_FILES);
            for (String name : all) {
                try (InputStream in = McuRuntime.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) throw new BackendException("the Cortex-M runtime file " + name + " is missing from the compiler's resources");
                    Files.write(dir.resolve(name), in.readAllBytes());
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> HostTarget.deleteTree(dir)));
            sources = dir;
            return dir;
        } catch (IOException e) {
            throw new BackendException("cannot extract the Cortex-M runtime: " + e.getMessage(), e);
        }
    }

    /** The linker script of a QEMU machine. */
    static Path linkerScript(String machine) {
        Path p = directory().resolve(machine + ".ld");
        if (!Files.isRegularFile(p)) throw new BackendException("no linker script for board " + machine);
        return p;
    }

    /** The runtime's objects for a core, compiled on first use. */
    static synchronized List<Path> objects(CortexMTarget.Core core) {
        List<Path> done = objects.get(core.name());
        if (done != null) return done;
        Path dir = directory().resolve(core.name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BackendException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(LlvmTools.clang().toString(), "--target=" + core.triple(), "-mcpu=" + core.cpu(),
                "-mfloat-abi=hard", "-mthumb", "-ffreestanding", "-nostdlib", "-fno-builtin", "-O2", "-Wall", "-Werror", "-c"));
        for (String s : SOURCES) cmd.add(directory().resolve(s).toString());
        LlvmTools.run(cmd, dir, "clang (the Cortex-M runtime for " + core.name() + ")");
        List<Path> objs = new ArrayList<>();
        for (String s : SOURCES) objs.add(dir.resolve(s.replace(".c", ".o")));
        objects.put(core.name(), List.copyOf(objs));
        return objects.get(core.name());
    }
}
