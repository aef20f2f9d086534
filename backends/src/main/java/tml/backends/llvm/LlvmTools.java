package tml.backends.llvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the programs shipped in the org.bytedeco:llvm jar (clang, ld.lld) with its libraries loadable. */
final class LlvmTools {
    private LlvmTools() {}

    private static Path clang;

    /** clang from the org.bytedeco:llvm jar (it compiles the Cortex-M runtime). */
    static synchronized Path clang() {
        if (clang != null) return clang;
        Path p = Llvm.packageDir().resolve("clang");
        if (!Files.isRegularFile(p)) throw new BackendException("the org.bytedeco:llvm jar has no clang in " + p.getParent());
        if (!Files.isExecutable(p)) p.toFile().setExecutable(true);
        clang = p;
        return p;
    }

    static Path lld() { return HostTarget.lld(); }

    /** Runs {@code cmd} in {@code dir}; its output on failure becomes the message of a BackendException. */
    static void run(List<String> cmd, Path dir, String what) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("LD_LIBRARY_PATH", HostTarget.libraryLinks().toString());
            Process proc = pb.start();
            String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(120, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new BackendException(what + " did not finish in 120 seconds");
            }
            if (proc.exitValue() != 0) throw new BackendException(what + " failed (exit " + proc.exitValue() + "): " + log.strip());
        } catch (IOException e) {
            throw new BackendException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while running " + what);
        }
    }
}
