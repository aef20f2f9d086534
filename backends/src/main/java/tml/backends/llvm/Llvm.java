package tml.backends.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/** Loads LLVM's native libraries once (from the org.bytedeco:llvm jar) and finds the tools shipped with them. */
final class Llvm {
    private static boolean initialized;
    private static Path packageDir;

    private Llvm() {}

    /** Loads the libraries and initializes every target LLVM was built with. */
    static synchronized void init() {
        if (initialized) return;
        try {
            Loader.load(org.bytedeco.llvm.global.LLVM.class);
            LLVMInitializeAllTargetInfos();
            LLVMInitializeAllTargets();
            LLVMInitializeAllTargetMCs();
            LLVMInitializeAllAsmPrinters();
            LLVMInitializeAllAsmParsers();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new BackendException("cannot load LLVM's native libraries (org.bytedeco:llvm for " + Loader.getPlatform() + "): " + e.getMessage(), e);
        }
        initialized = true;
    }

    /** The directory holding LLVM's executables and libraries, extracted from the jar on first use. */
    static synchronized Path packageDir() {
        if (packageDir != null) return packageDir;
        init();
        try {
            // Loading the clang program marks the lld executables (ld.lld, ...) executable.
            String clang = Loader.load(org.bytedeco.llvm.program.clang.class);
            File dir = clang != null ? new File(clang).getParentFile() : org.bytedeco.llvm.presets.LLVM.cachePackage();
            packageDir = dir.toPath();
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw new BackendException("cannot extract LLVM's tools from the org.bytedeco:llvm jar: " + e.getMessage(), e);
        }
        return packageDir;
    }

    /** Takes a message LLVM allocated, returns it as a String and frees it. */
    static String message(BytePointer p) {
        if (p == null || p.isNull()) return "";
        String s = p.getString();
        LLVMDisposeMessage(p);
        return s.strip();
    }

    static boolean isExecutable(Path p) { return Files.isRegularFile(p) && Files.isExecutable(p); }
}
