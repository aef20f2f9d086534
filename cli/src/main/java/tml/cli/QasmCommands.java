package tml.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tml.backends.qasm.Qasm2Exporter;
import tml.backends.qasm.Qasm2Importer;
import tml.backends.qasm.Qasm3Exporter;
import tml.backends.qasm.QasmExportException;
import tml.backends.qasm.QasmParseException;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.frontend.diag.SourceFile;
import tml.frontend.diag.Span;
import tml.frontend.print.CircuitSource;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.GateKind;
import tml.runtime.TmlRuntimeException;

/**
 * OpenQASM in {@code tmlc}: {@code tmlc import FILE.qasm [-o FILE.tml]} (OpenQASM 2.0 to a TML
 * {@code circuit}) and the circuit half of {@code tmlc build} ({@code --emit qasm2|qasm3}).
 */
final class QasmCommands {
    /** What {@code --emit} accepts for circuits. */
    static final Set<String> EMITS = Set.of("qasm2", "qasm3");

    private final Options o;
    private final PrintStream out, err;
    private final boolean json;

    QasmCommands(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        String format = o.one("diagnostic-format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) throw new UsageException("--diagnostic-format must be text or json, got '" + format + "'");
        this.json = format.equals("json");
    }

    // ---------------------------------------------------------------- import

    int importQasm() throws UsageException {
        String file = o.singleFile();
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            print(Diagnostic.fileError(file, "cannot read file: " + describe(e)));
            return Main.ERRORS;
        }
        String base = Path.of(file).getFileName().toString();
        String name = circuitName(base);
        Circuit c;
        try {
            c = Qasm2Importer.parse(text, name);
        } catch (QasmParseException e) {
            SourceFile source = new SourceFile(file, text);
            int at = source.offsetOf(e.line(), e.column());
            print(Diagnostic.error(Span.of(source, at, at + 1), e.detail()));
            return Main.ERRORS;
        }
        if (c.numQubits() == 0) {
            print(Diagnostic.fileError(file, "the program declares no qubits (a TML circuit needs 'qreg')"));
            return Main.ERRORS;
        }
        String tml = CircuitSource.print(c, "Imported from " + base);
        Optional<String> problem = elaboratesBack(tml, c);
        if (problem.isPresent()) {
            err.println("tmlc: internal compiler error: the TML written for " + file + " does not elaborate to the imported circuit: " + problem.get());
            return Main.INTERNAL;
        }
        return write(o.one("o"), tml);
    }

    /** The circuit's name: --circuit, else from the file name, kept clear of keywords and gate names. */
    private String circuitName(String fileName) throws UsageException {
        Optional<String> given = o.one("circuit");
        if (given.isPresent()) {
            if (!given.get().matches("[A-Za-z][A-Za-z0-9_]*") || RESERVED.contains(given.get()) || GATE_NAMES.contains(given.get())) {
                throw new UsageException("--circuit needs an identifier that is not a keyword or gate name, got '" + given.get() + "'");
            }
            return given.get();
        }
        String stem = fileName.endsWith(".qasm") ? fileName.substring(0, fileName.length() - 5) : fileName;
        String id = CircuitSource.identifier(stem);
        return RESERVED.contains(id) || GATE_NAMES.contains(id) ? id + "_circuit" : id;
    }

    private static final Set<String> RESERVED = Set.of("module", "import", "as", "network", "block", "fn", "circuit", "target", "device",
            "searchspace", "quantize", "schedule", "train", "let", "input", "output", "param", "qubits", "bits", "for", "in", "if", "else",
            "return", "assert", "seq", "f32", "f16", "i8", "i4", "i32", "true", "false", "measure", "reset", "barrier", "pi", "x");
    private static final Set<String> GATE_NAMES = java.util.Arrays.stream(GateKind.values()).map(GateKind::mnemonic)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Elaborates the written TML again: empty when it gives back exactly the imported circuit. */
    private static Optional<String> elaboratesBack(String tml, Circuit expected) {
        Frontend fe = new Frontend(List.of());
        Optional<Circuit> back = Optional.empty();
        if (fe.loadText("imported.tml", tml).isPresent() && !fe.diagnostics().hasErrors()) {
            Optional<Decl.Circuit> decl = fe.circuit(Optional.of(expected.name()));
            if (decl.isPresent()) back = fe.elaborateCircuit(decl.get(), Map.of());
        }
        if (fe.diagnostics().hasErrors()) {
            return Optional.of(fe.diagnostics().all().stream().filter(Diagnostic::isError).findFirst().map(Diagnostic::message).orElse("errors"));
        }
        if (back.isEmpty()) return Optional.of("no circuit");
        return back.get().equals(expected) ? Optional.empty() : Optional.of("the circuits differ");
    }

    // ---------------------------------------------------------------- build

    /**
     * Whether {@code tmlc build} is asked to build a circuit: --circuit or --emit qasm2|qasm3 given,
     * or (no --network, no --target) the file declares circuits and no network.
     */
    static boolean isCircuitBuild(Options o, List<Path> includes) throws UsageException {
        if (o.one("circuit").isPresent()) return true;
        if (o.all("emit").stream().flatMap(e -> java.util.Arrays.stream(e.split(","))).anyMatch(EMITS::contains)) return true;
        if (o.flag("network") || o.flag("target") || o.files.size() != 1) return false;
        Frontend probe = new Frontend(includes);
        return probe.load(Path.of(o.files.get(0))).isPresent() && probe.networks().isEmpty() && !probe.circuits().isEmpty();
    }

    /** {@code tmlc build FILE.tml --emit qasm2|qasm3 [-o OUT]} for a circuit. */
    int buildCircuit(List<Path> includes) throws UsageException {
        String emit = o.one("emit").orElseThrow(() -> new UsageException("'tmlc build' of a circuit needs --emit qasm2 or --emit qasm3"));
        if (!EMITS.contains(emit)) throw new UsageException("--emit for a circuit must be qasm2 or qasm3, got '" + emit + "'");
        int level = CircuitOptimize.level(o, 0);
        long seed = seed();
        String file = o.singleFile();
        Frontend fe = new Frontend(includes);
        Optional<Circuit> elaborated = Optional.empty();
        if (fe.load(Path.of(file)).isPresent() && !fe.diagnostics().hasErrors()) {
            Optional<Decl.Circuit> decl = fe.circuit(o.one("circuit"));
            if (decl.isPresent()) elaborated = fe.elaborateCircuit(decl.get(), o.pairs("param"));
        }
        if (flush(fe) || elaborated.isEmpty()) return Main.ERRORS;
        Circuit c = elaborated.get();

        Optional<Device> device = Optional.empty();
        if (o.one("device").isPresent()) {
            device = fe.device(o.one("device").get());
            if (flush(fe)) return Main.ERRORS;
            if (device.isEmpty()) throw new UsageException("no device named '" + o.one("device").get() + "' is declared in " + file);
            CircuitOptimize.checkFits(device.get(), c);
        }

        Optional<String> weights = o.one("weights");
        if (weights.isPresent()) {
            try {
                c = ParamSubstitution.bindParams(c, CircuitRun.parameters(c, weights, seed));
            } catch (TmlRuntimeException e) {
                for (String line : e.getMessage().split("\n")) print(Diagnostic.fileError(weights.get(), line));
                return Main.ERRORS;
            }
        }
        if (emit.equals("qasm2")) {
            if (!c.params().isEmpty()) {
                throw new UsageException("OpenQASM 2 needs numeric angles, but circuit '" + c.name() + "' has unbound parameter"
                        + (c.params().size() == 1 ? " " : "s ") + ParamSubstitution.list(c.params())
                        + ": give their values with --weights W.safetensors, or use --emit qasm3 (parameters become inputs)");
            }
            if (c.numInputs() > 0) {
                throw new UsageException("OpenQASM 2 cannot express circuit '" + c.name() + "''s " + c.numInputs()
                        + " input feature(s) x[0..." + (c.numInputs() - 1) + "]: use --emit qasm3 (inputs become 'input array[float[64], "
                        + c.numInputs() + "] x')");
            }
        }

        CircuitOptimize.Optimized opt;
        try {
            opt = CircuitOptimize.run(c, level, device, seed);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("tmlc: error: cannot optimize circuit '" + c.name() + "'" + device.map(d -> " for device '" + d.name() + "'").orElse("") + ": " + describe(e));
            return Main.ERRORS;
        }
        String text;
        try {
            text = emit.equals("qasm2") ? Qasm2Exporter.export(opt.circuit()) : Qasm3Exporter.export(opt.circuit());
        } catch (QasmExportException e) {
            err.println("tmlc: error: cannot write circuit '" + c.name() + "' as OpenQASM " + emit.substring(4) + ": " + e.getMessage());
            return Main.ERRORS;
        }
        if (opt.routing().isPresent()) text = RoutingComments.insert(text, device.get(), opt.routing().get());
        return write(o.one("o"), text);
    }

    private long seed() throws UsageException {
        try {
            return Long.parseLong(o.one("seed").orElse("0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElse("") + "'");
        }
    }

    // ---------------------------------------------------------------- shared

    private int write(Optional<String> target, String text) {
        if (target.isEmpty()) {
            out.print(text);
            return Main.OK;
        }
        try {
            AtomicFiles.write(Path.of(target.get()), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            print(Diagnostic.fileError(target.get(), "cannot write: " + describe(e)));
            return Main.ERRORS;
        }
        return Main.OK;
    }

    private void print(Diagnostic d) {
        err.print(json ? DiagnosticRenderer.json(d) + "\n" : DiagnosticRenderer.text(d));
    }

    private final Set<Diagnostic> printed = new java.util.HashSet<>();

    /** Prints the diagnostics not printed yet; true when there are errors. */
    private boolean flush(Frontend fe) {
        for (Diagnostic d : fe.diagnostics().all()) if (printed.add(d)) print(d);
        return fe.diagnostics().hasErrors();
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
