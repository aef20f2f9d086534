package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine the compiler runs on: its default triple, its CPU and every feature it has (as
 * {@code -march=native}), linked into a shared library by the {@code ld.lld} that ships in the
 * org.bytedeco:llvm jar.
 */
public final class HostTarget extends LlvmTarget {
    private static HostTarget instance;
    private final String triple, cpu, features;

    private HostTarget() {
        Llvm.init();
        triple = Llvm.message(LLVMGetDefaultTargetTriple());
        cpu = Llvm.message(LLVMGetHostCPUName());
        features = Llvm.message(LLVMGetHostCPUFeatures());
    }

    public static synchronized HostTarget get() {
        if (instance == null) instance = new HostTarget();
        return instance;
    }

    @Override public String name() { return "host"; }
    @Override public String triple() { return triple; }
    @Override public String cpu() { return cpu; }
    @Override public String features() { return features; }

    @Override public int vectorWidth() {
        if (features.contains("+avx512f")) return 16;
        if (features.contains("+avx")) return 8;
        return 4;
    }

    @Override public void link(byte[] object, Path output) {
        Path lld = lld();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("tml-link");
            Path obj = tmp.resolve("module.o");
            Files.write(obj, object);
            List<String> cmd = new ArrayList<>(List.of(lld.toString(), "-shared", "--hash-style=gnu", "-z", "noexecstack",
                    "-z", "relro", "-z", "now", "-o", output.toAbsolutePath().toString(), obj.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("LD_LIBRARY_PATH", libraryLinks().toString());
            Process proc = pb.start();
            String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(120, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new BackendException("ld.lld did not finish in 120 seconds");
            }
            if (proc.exitValue() != 0) throw new BackendException("ld.lld failed (exit " + proc.exitValue() + "): " + log.strip());
        } catch (IOException e) {
            throw new BackendException("cannot run ld.lld (" + lld + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while linking");
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    private static Path lldPath;
    private static Path links;

    /** ld.lld from the org.bytedeco:llvm jar. */
    static synchronized Path lld() {
        if (lldPath != null) return lldPath;
        Path dir = Llvm.packageDir();
        for (String name : List.of("ld.lld", "lld")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                if (!Files.isExecutable(p)) p.toFile().setExecutable(true);
                if (Files.isExecutable(p)) {
                    lldPath = name.equals("lld") ? p : p;
                    return lldPath;
                }
            }
        }
        throw new BackendException("the org.bytedeco:llvm jar has no usable ld.lld in " + dir);
    }

    /**
     * A directory that makes the jar's libLLVM.so loadable by the name ld.lld asks for
     * (libLLVM.so.MAJOR.MINOR), without touching JavaCPP's cache.
     */
    static synchronized Path libraryLinks() throws IOException {
        if (links != null) return links;
        Path dir = Llvm.packageDir();
        Path lib = dir.resolve("libLLVM.so");
        Path d = Files.createTempDirectory("tml-llvm-libs");
        String version = LLVM_VERSION;
        for (String soname : List.of("libLLVM.so." + version, "libLLVM-" + version.split("\\.")[0] + ".so", "libLLVM.so")) {
            Files.createSymbolicLink(d.resolve(soname), lib);
        }
        // clang (Cortex-M runtime) also needs libclang-cpp by its soname
        Path clangLib = dir.resolve("libclang-cpp.so");
        if (Files.isRegularFile(clangLib)) Files.createSymbolicLink(d.resolve("libclang-cpp.so." + version), clangLib);
        d.toFile().deleteOnExit();
        for (String soname : List.of("libLLVM.so." + version, "libLLVM-" + version.split("\\.")[0] + ".so", "libLLVM.so", "libclang-cpp.so." + version)) {
            d.resolve(soname).toFile().deleteOnExit();
        }
        links = d;
        return d;
    }

    /** MAJOR.MINOR of the bundled LLVM, as in its shared library's soname. */
    private static final String LLVM_VERSION = "20.1";

    static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
