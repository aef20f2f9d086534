package tml.frontend;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tml.frontend.ast.Decl;
import tml.frontend.check.Resolver;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.elab.Elaborator;
import tml.frontend.elab.ModuleEnv;
import tml.frontend.elab.ModuleLoader;
import tml.frontend.elab.Suggest;
import tml.ir.graph.Graph;

/**
 * The front end's entry points: load a file with its imports, check it, elaborate a network into the
 * graph IR. All problems are collected in {@link #diagnostics()}; nothing here prints or exits.
 */
public final class Frontend {
    private final Diagnostics diags = new Diagnostics();
    private final ModuleLoader loader;
    private ModuleEnv main;

    public Frontend(List<Path> includeDirs) {
        this.loader = new ModuleLoader(includeDirs, diags);
    }

    public Diagnostics diagnostics() { return diags; }

    /** Loads and statically checks a file and its imports. Empty when it cannot be read or parsed. */
    public Optional<ModuleEnv> load(Path file) {
        main = loader.loadMain(file).orElse(null);
        if (main != null) resolveAll(main, new ArrayList<>());
        return Optional.ofNullable(main);
    }

    /** Loads source text as the main module (tests, editors). */
    public Optional<ModuleEnv> loadText(String path, String text) {
        main = loader.loadText(path, text).orElse(null);
        if (main != null) resolveAll(main, new ArrayList<>());
        return Optional.ofNullable(main);
    }

    private void resolveAll(ModuleEnv m, List<ModuleEnv> done) {
        if (done.contains(m)) return;
        done.add(m);
        Resolver.resolve(m, diags);
        m.openImports().forEach(x -> resolveAll(x, done));
        m.aliasImports().values().forEach(x -> resolveAll(x, done));
    }

    /**
     * The full check of {@code tmlc check}: static checks, module-level values and targets, and the
     * elaboration of every network whose parameters all have defaults.
     */
    public void checkAll() { checkAll(Optional.empty(), Map.of()); }

    /**
     * As {@link #checkAll()}; when a network is named or parameters are given ({@code tmlc check
     * --network N --param k=v}), that network (or the only one) is elaborated with those values.
     */
    public void checkAll(Optional<String> networkName, Map<String, String> params) {
        if (main == null) return;
        Elaborator elab = new Elaborator(diags);
        elab.checkDecls(main);
        Decl.Network chosen = networkName.isPresent() || !params.isEmpty() ? network(networkName).orElse(null) : null;
        for (Decl d : main.file().decls()) {
            if (d instanceof Decl.Network n && n == chosen) {
                elab.elaborate(main, n, params);
            } else if (d instanceof Decl.Network n && n.params().stream().allMatch(p -> p.defaultValue().isPresent())) {
                elab.elaborate(main, n, Map.of());
            }
            if (d instanceof Decl.Circuit c && c.params().stream().allMatch(p -> p.defaultValue().isPresent())) {
                elab.elaborateCircuit(main, c, Map.of());
            }
        }
    }

    public ImmutableList<Decl.Network> networks() {
        if (main == null) return ImmutableList.of();
        return main.file().decls().stream().filter(d -> d instanceof Decl.Network).map(d -> (Decl.Network) d)
                .collect(ImmutableList.toImmutableList());
    }

    /** Picks the network to compile: the named one, or the only one (or the last one) in the file. */
    public Optional<Decl.Network> network(Optional<String> name) {
        List<Decl.Network> nets = networks();
        if (main == null) return Optional.empty();
        if (name.isPresent()) {
            Optional<Decl.Network> n = nets.stream().filter(x -> x.name().equals(name.get())).findFirst();
            if (n.isEmpty()) {
                String hint = Suggest.closest(name.get(), nets.stream().map(Decl.Network::name).toList())
                        .map(s -> "; did you mean '" + s + "'?").orElse("");
                diags.add(Diagnostic.fileError(main.source().path(), "no network named '" + name.get() + "'" + hint
                        + (nets.isEmpty() ? "" : " (networks here: " + String.join(", ", nets.stream().map(Decl.Network::name).toList()) + ")")));
            }
            return n;
        }
        if (nets.isEmpty()) {
            diags.add(Diagnostic.fileError(main.source().path(), "the file declares no network"));
            return Optional.empty();
        }
        if (nets.size() > 1) {
            diags.add(Diagnostic.fileError(main.source().path(), "the file declares several networks ("
                    + String.join(", ", nets.stream().map(Decl.Network::name).toList()) + "); choose one with --network NAME"));
            return Optional.empty();
        }
        return Optional.of(nets.get(0));
    }

    /** Elaborates a network with parameter values given as TML expressions. Empty on any error. */
    public Optional<Graph> elaborate(Decl.Network network, Map<String, String> params) {
        if (main == null || diags.hasErrors()) return Optional.empty();
        return new Elaborator(diags).elaborate(main, network, params);
    }

    public Optional<ModuleEnv> mainModule() { return Optional.ofNullable(main); }

    public ImmutableList<Decl.Circuit> circuits() {
        if (main == null) return ImmutableList.of();
        return main.file().decls().stream().filter(d -> d instanceof Decl.Circuit).map(d -> (Decl.Circuit) d)
                .collect(ImmutableList.toImmutableList());
    }

    /** Picks the circuit to compile: the named one, or the only one in the file. */
    public Optional<Decl.Circuit> circuit(Optional<String> name) {
        List<Decl.Circuit> cs = circuits();
        if (main == null) return Optional.empty();
        if (name.isPresent()) {
            Optional<Decl.Circuit> c = cs.stream().filter(x -> x.name().equals(name.get())).findFirst();
            if (c.isEmpty()) {
                String hint = Suggest.closest(name.get(), cs.stream().map(Decl.Circuit::name).toList()).map(s -> "; did you mean '" + s + "'?").orElse("");
                diags.add(Diagnostic.fileError(main.source().path(), "no circuit named '" + name.get() + "'" + hint));
            }
            return c;
        }
        if (cs.size() != 1) {
            diags.add(Diagnostic.fileError(main.source().path(), cs.isEmpty() ? "the file declares no circuit"
                    : "the file declares several circuits (" + String.join(", ", cs.stream().map(Decl.Circuit::name).toList()) + "); choose one with --circuit NAME"));
            return Optional.empty();
        }
        return Optional.of(cs.get(0));
    }

    /** Elaborates a circuit into the quantum IR. Empty on any error. */
    public Optional<tml.ir.quantum.Circuit> elaborateCircuit(Decl.Circuit circuit, Map<String, String> params) {
        if (main == null || diags.hasErrors()) return Optional.empty();
        return new Elaborator(diags).elaborateCircuit(main, circuit, params);
    }

    /** A policy declaration ({@code train}, {@code searchspace}, ...) of the main module, evaluated. */
    public Optional<tml.frontend.elab.PolicyReader.Policy> policy(String kind, Optional<String> name) {
        if (main == null) return Optional.empty();
        List<Decl.Policy> found = main.file().decls().stream().filter(d -> d instanceof Decl.Policy p && p.kind().equals(kind)
                && (name.isEmpty() || p.name().equals(name.get()))).map(d -> (Decl.Policy) d).toList();
        if (found.size() != 1) {
            diags.add(Diagnostic.fileError(main.source().path(), found.isEmpty() ? "no " + kind + " declaration" + name.map(n -> " named '" + n + "'").orElse("")
                    : "several " + kind + " declarations; choose one by name"));
            return Optional.empty();
        }
        return tml.frontend.elab.PolicyReader.read(found.get(0), main, diags);
    }

    /** A {@code target} declaration visible from the main file, and the module that declares it. */
    public record DeclaredTarget(Decl.Policy decl, ModuleEnv module) {
        public String name() { return decl.name(); }
    }

    /**
     * The {@code target} declarations of the main module, then those of the modules it imports
     * (transitively, each module once), in that order; not yet evaluated (see {@link #readTarget}).
     */
    public ImmutableList<DeclaredTarget> declaredTargets() {
        if (main == null) return ImmutableList.of();
        List<ModuleEnv> order = new ArrayList<>();
        collect(main, order);
        ImmutableList.Builder<DeclaredTarget> out = ImmutableList.builder();
        for (ModuleEnv m : order) {
            for (Decl d : m.file().decls()) {
                if (d instanceof Decl.Policy p && p.kind().equals("target")) out.add(new DeclaredTarget(p, m));
            }
        }
        return out.build();
    }

    private static void collect(ModuleEnv m, List<ModuleEnv> order) {
        if (order.contains(m)) return;
        order.add(m);
        m.openImports().forEach(x -> collect(x, order));
        m.aliasImports().values().forEach(x -> collect(x, order));
    }

    /** Checks and evaluates one target declaration; empty, with diagnostics, when it is not valid. */
    public Optional<tml.frontend.elab.TargetReader.Target> readTarget(DeclaredTarget t) {
        return tml.frontend.elab.TargetReader.read(t.decl(), t.module(), diags);
    }

    /** The devices declared in the main module, as the quantum IR's device records. */
    public Optional<tml.ir.quantum.Device> device(String name) {
        if (main == null) return Optional.empty();
        for (Decl d : main.file().decls()) {
            if (d instanceof Decl.Policy p && p.kind().equals("device") && p.name().equals(name)) {
                return tml.frontend.elab.DeviceCheck.device(p, new Elaborator(diags), main, diags);
            }
        }
        return Optional.empty();
    }
}
