package tml.frontend.elab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import tml.frontend.ast.FileNode;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.SourceFile;
import tml.frontend.parse.TmlParser;

/**
 * Reads, parses and links modules. A module path {@code a.b} is the file {@code a/b.tml} under a search
 * root: the main file's directory, each include directory, then the standard library (the
 * {@code stdlib/} folder of the TML home when there is one, else the classpath).
 */
public final class ModuleLoader {
    /** Files above this size are refused rather than parsed. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private final List<Path> roots;
    private final Optional<Path> stdlibDir;
    private final Diagnostics diags;
    private final Map<String, ModuleEnv> byKey = new HashMap<>();
    private final Deque<String> loading = new ArrayDeque<>();

    public ModuleLoader(List<Path> includeDirs, Diagnostics diags) {
        this.roots = new ArrayList<>(includeDirs);
        this.diags = diags;
        String home = System.getProperty("tml.home");
        Path std = home == null ? null : Path.of(home, "stdlib");
        this.stdlibDir = std != null && Files.isDirectory(std) ? Optional.of(std) : Optional.empty();
    }

    /** Loads a main file and, transitively, its imports. Empty when the file itself cannot be read or parsed. */
    public Optional<ModuleEnv> loadMain(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !roots.contains(dir)) roots.add(0, dir);
        Optional<String> text = read(file, file.toString());
        if (text.isEmpty()) return Optional.empty();
        String name = file.getFileName().toString().replaceFirst("\\.tml$", "");
        return load("file:" + file.toAbsolutePath().normalize(), name, new SourceFile(file.toString(), text.get()));
    }

    /** Loads a module from text (tests, the language server). */
    public Optional<ModuleEnv> loadText(String path, String text) {
        return load("text:" + path, path.replaceFirst("\\.tml$", ""), new SourceFile(path, text));
    }

    private Optional<ModuleEnv> load(String key, String modulePath, SourceFile source) {
        ModuleEnv cached = byKey.get(key);
        if (cached != null) return Optional.of(cached);
        Optional<FileNode> ast = TmlParser.parseFile(source, diags);
        if (ast.isEmpty()) return Optional.empty();
        // an imported file's 'module a.b' must say what the import found (the main file may say anything)
        Optional<FileNode.QualifiedName> declared = ast.get().module();
        if (!loading.isEmpty() && declared.isPresent() && !declared.get().dotted().equals(modulePath)) {
            diags.error(declared.get().span(), "this file declares module '" + declared.get().dotted() + "' but is imported as '" + modulePath + "'");
        }
        ModuleEnv env = new ModuleEnv(modulePath, source, ast.get());
        byKey.put(key, env);
        loading.push(key);
        try {
            for (FileNode.Import imp : ast.get().imports()) {
                String path = imp.path().dotted();
                Optional<Located> found = locate(path);
                if (found.isEmpty()) {
                    diags.error(imp.path().span(), "cannot find module '" + path + "' (looked for " + path.replace('.', '/')
                            + ".tml in " + describeRoots() + ")");
                    continue;
                }
                if (loading.contains(found.get().key)) {
                    diags.error(imp.path().span(), "import cycle: module '" + path + "' imports this module again");
                    continue;
                }
                Optional<ModuleEnv> m = load(found.get().key, path, found.get().source);
                if (m.isEmpty()) continue;
                if (imp.alias().isPresent()) env.addAliasImport(imp.alias().get(), m.get());
                else env.addOpenImport(m.get());
            }
        } finally {
            loading.pop();
        }
        return Optional.of(env);
    }

    private record Located(String key, SourceFile source) {}

    private Optional<Located> locate(String modulePath) {
        String rel = modulePath.replace('.', '/') + ".tml";
        for (Path root : roots) {
            Path p = root.resolve(rel);
            if (Files.isRegularFile(p)) {
                Optional<String> text = read(p, p.toString());
                return text.map(t -> new Located("file:" + p.toAbsolutePath().normalize(), new SourceFile(display(p), t)));
            }
        }
        if (stdlibDir.isPresent()) {
            Path p = stdlibDir.get().resolve(rel);
            if (Files.isRegularFile(p)) {
                Optional<String> text = read(p, p.toString());
                return text.map(t -> new Located("file:" + p.toAbsolutePath().normalize(), new SourceFile(display(p), t)));
            }
        }
        String resource = "stdlib/" + rel;
        try (InputStream in = ModuleLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return Optional.of(new Located("stdlib:" + rel, new SourceFile(resource, text)));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private String describeRoots() {
        List<String> names = new ArrayList<>();
        for (Path r : roots) names.add(display(r).isEmpty() ? "." : display(r));
        names.add("the standard library");
        return String.join(", ", names);
    }

    /** Reads a UTF-8 source file, reporting unreadable, oversized or non-UTF-8 files as diagnostics. */
    private Optional<String> read(Path file, String shown) {
        try {
            if (!Files.exists(file)) {
                diags.add(Diagnostic.fileError(shown, "no such file"));
                return Optional.empty();
            }
            if (Files.isDirectory(file)) {
                diags.add(Diagnostic.fileError(shown, "is a directory, not a .tml file"));
                return Optional.empty();
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                diags.add(Diagnostic.fileError(shown, "file is too large (" + size + " bytes; the limit is " + MAX_FILE_BYTES + ")"));
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                // a UTF-8 byte-order mark, as some editors write, is not part of the program
                return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
            } catch (CharacterCodingException e) {
                int bad = firstInvalidUtf8(bytes);
                diags.add(Diagnostic.fileError(shown, "file is not valid UTF-8 text (bad byte at offset " + bad + ")"));
                return Optional.empty();
            }
        } catch (IOException | SecurityException e) {
            diags.add(Diagnostic.fileError(shown, "cannot read file: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
            return Optional.empty();
        }
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }
}
