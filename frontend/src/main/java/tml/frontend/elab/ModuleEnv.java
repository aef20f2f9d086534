package tml.frontend.elab;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tml.frontend.ast.Decl;
import tml.frontend.ast.FileNode;
import tml.frontend.diag.SourceFile;

/** A loaded module: its AST, its top-level declarations and its resolved imports. */
public final class ModuleEnv {
    private final String modulePath;
    private final SourceFile source;
    private final FileNode file;
    private final ImmutableMap<String, Decl> decls;
    private final List<ModuleEnv> openImports = new ArrayList<>();
    private final Map<String, ModuleEnv> aliasImports = new LinkedHashMap<>();
    /** Values of module-level lets, computed on first use. */
    final Map<String, Value> constValues = new HashMap<>();

    ModuleEnv(String modulePath, SourceFile source, FileNode file) {
        this.modulePath = modulePath;
        this.source = source;
        this.file = file;
        Map<String, Decl> m = new LinkedHashMap<>();
        for (Decl d : file.decls()) m.putIfAbsent(d.name(), d);
        this.decls = ImmutableMap.copyOf(m);
    }

    public String modulePath() { return modulePath; }
    public SourceFile source() { return source; }
    public FileNode file() { return file; }
    public ImmutableMap<String, Decl> decls() { return decls; }
    public ImmutableList<ModuleEnv> openImports() { return ImmutableList.copyOf(openImports); }
    public ImmutableMap<String, ModuleEnv> aliasImports() { return ImmutableMap.copyOf(aliasImports); }

    void addOpenImport(ModuleEnv m) { openImports.add(m); }
    void addAliasImport(String alias, ModuleEnv m) { aliasImports.put(alias, m); }

    /** Modules whose declarations are visible unqualified here, with the one that provides {@code name}. */
    public List<ModuleEnv> providers(String name) {
        List<ModuleEnv> out = new ArrayList<>();
        for (ModuleEnv m : openImports) if (m.decls.containsKey(name) && !out.contains(m)) out.add(m);
        return out;
    }
}
