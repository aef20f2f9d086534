package tml.cli;

import com.google.common.collect.ImmutableMap;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.ir.graph.*;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;
import tml.runtime.Weights;
import tml.runtime.io.Npy;

/** The commands of {@code tmlc}. Each returns an exit code; output goes to the given streams. */
final class Commands {
    private final Options o;
    private final PrintStream out, err;
    private final boolean json;

    Commands(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        String format = o.one("diagnostic-format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) throw new UsageException("--diagnostic-format must be text or json, got '" + format + "'");
        this.json = format.equals("json");
    }

    int run() throws UsageException {
        return switch (o.command) {
            case "check" -> check();
            case "run" -> runNetwork();
            case "ir" -> ir();
            case "report" -> report();
            case "import" -> new QasmCommands(o, out, err).importQasm();
            case "build" -> build();
            case "train" -> new TrainCommand(o, out, err).run();
            case "search" -> new SearchCommand(o, out, err).run();
            case "bench" -> new BenchCommand(o, out, err).run();
            default -> throw new UsageException("unknown command " + o.command);
        };
    }

    // ---------------- shared ----------------

    private List<Path> includes() {
        return o.all("I").stream().map(Path::of).toList();
    }

    private void print(Diagnostic d) {
        err.print(json ? DiagnosticRenderer.json(d) + "\n" : DiagnosticRenderer.text(d));
    }

    /** Prints all diagnostics; returns true when there were errors. */
    private boolean flush(Frontend fe) {
        fe.diagnostics().all().forEach(this::print);
        return fe.diagnostics().hasErrors();
    }

    private void fileError(String path, String message) {
        print(Diagnostic.fileError(path, message));
    }

    private record Compiled(Frontend frontend, Graph graph, String file, Decl.Network network) {}

    /** Loads, checks and elaborates the chosen network; prints diagnostics. Empty on errors. */
    private Optional<Compiled> compile() throws UsageException {
        String file = o.singleFile();
        Frontend fe = new Frontend(includes());
        Map<String, String> params = o.pairs("param");
        Optional<Graph> graph = Optional.empty();
        Optional<Decl.Network> net = Optional.empty();
        if (fe.load(Path.of(file)).isPresent() && !fe.diagnostics().hasErrors()) {
            net = fe.network(o.one("network"));
            if (net.isPresent()) graph = fe.elaborate(net.get(), params);
        }
        if (flush(fe) || graph.isEmpty()) return Optional.empty();
        return Optional.of(new Compiled(fe, graph.get(), file, net.orElseThrow()));
    }

    // ---------------- check ----------------

    private int check() throws UsageException {
        if (o.files.isEmpty()) throw new UsageException("'tmlc check' needs at least one file");
        boolean errors = false;
        for (String file : o.files) {
            Frontend fe = new Frontend(includes());
            if (fe.load(Path.of(file)).isPresent() && !fe.diagnostics().hasErrors()) fe.checkAll(o.one("network"), o.pairs("param"));
            errors |= flush(fe);
        }
        return errors ? Main.ERRORS : Main.OK;
    }

    // ---------------- build ----------------

    /** Circuits build to OpenQASM (QasmCommands); networks to native code. */
    private int build() throws UsageException {
        if (QasmCommands.isCircuitBuild(o, includes())) return new QasmCommands(o, out, err).buildCircuit(includes());
        return buildNetwork();
    }

    /**
     * {@code tmlc build FILE --target host -o DIR [--emit llvm-ir,asm,obj,so,loop]}: graph passes (-O, default -O3), then LLVM
     * at the same level; or {@code --emit c} for C99 source ({@link CExport}, host or a Cortex-M target).
     */
    private int buildNetwork() throws UsageException {
        String targetName = o.one("target").orElseThrow(() -> new UsageException("'tmlc build' of a network needs --target (host, a core or a board)"));
        String dir = o.one("o").orElseThrow(() -> new UsageException("'tmlc build' needs -o DIR"));
        long seed;
        try {
            seed = Long.parseLong(o.one("seed").orElse("0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElse("") + "'");
        }
        Optional<Compiled> c = compile();
        if (c.isEmpty()) return Main.ERRORS;
        Optional<Board> board = resolveTarget(targetName, c.get());
        if (board.isEmpty()) return Main.ERRORS;
        String target = board.get().core();
        Optional<tml.backends.llvm.CortexMTarget> mcu = McuCommands.core(target);
        if (!target.equals("host") && mcu.isEmpty()) {
            throw new UsageException("no code generator for core '" + target + "'; available: host, " + String.join(", ", McuCommands.coreNames()));
        }
        boolean cExport = CExport.requested(o.all("emit"));
        if (cExport && !CExport.TARGETS.contains(target)) {
            throw new UsageException("no C export for core '" + target + "'; available: " + String.join(", ", CExport.TARGETS));
        }
        Set<String> emits = mcu.isPresent() && !cExport ? McuCommands.emits(o.all("emit"), target) : HostCommands.emits(o.all("emit"));
        Optional<PassManager> passes = passManager(target, 3);
        Graph g = c.get().graph();
        Map<String, Tensor> params;
        Optional<String> weights = o.one("weights");
        if (weights.isPresent()) {
            Weights.Binding b;
            try {
                b = Weights.fromSafetensors(g, Path.of(weights.get()));
            } catch (TmlRuntimeException e) {
                fileError(weights.get(), unprefixed(e.getMessage(), weights.get()));
                return Main.ERRORS;
            }
            if (!b.ok()) {
                b.problems().subList(0, Math.min(b.problems().size(), MAX_WEIGHT_PROBLEMS)).forEach(p -> fileError(weights.get(), p));
                return Main.ERRORS;
            }
            params = b.params();
        } else {
            params = Weights.initialize(g, seed);
        }
        if (passes.isPresent()) {
            Model m = passes.get().run(new Model(g, ImmutableMap.copyOf(params)));
            g = m.graph();
            params = m.weights();
        }
        // budgets first: a model that does not fit is refused before anything is written
        if (board.get().hasBudget()) {
            Optional<TargetReport> fit = measure(board.get(), g);
            if (fit.isEmpty()) return Main.ERRORS;
            List<Diagnostic> refusals = fit.get().refusals(c.get().network().nameSpan());
            if (!refusals.isEmpty()) {
                refusals.forEach(this::print);
                return Main.ERRORS;
            }
        }
        try {
            if (cExport) CExport.write(g, params, target, c.get().file(), Path.of(dir), emits, out);
            else if (mcu.isPresent()) McuCommands.build(g, params, Path.of(dir), emits, HostCommands.llvmLevel(o.all("O")), mcu.get(), out);
            else HostCommands.build(g, params, Path.of(dir), emits, HostCommands.llvmLevel(o.all("O")), out);
        } catch (HostCommands.Failure e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        } catch (IOException e) {
            fileError(dir, "cannot write: " + describe(e));
            return Main.ERRORS;
        }
        return Main.OK;
    }

    // ---------------- ir ----------------

    private int ir() throws UsageException {
        String text;
        String irTarget = o.one("target").orElse("interp");
        if (!List.of("interp", "host", "cortex-m4", "cortex-m7", "cortex-m33").contains(irTarget)) {
            throw new UsageException("unknown target '" + irTarget + "' for ir; available: interp, host, cortex-m4, cortex-m7, cortex-m33");
        }
        Optional<PassManager> passes = passManager(irTarget, 0);
        String level = o.one("level").orElse("graph");
        if (!level.equals("graph") && !level.equals("loop")) throw new UsageException("--level must be graph or loop, got '" + level + "'");
        if (o.flag("parse")) {
            String file = o.singleFile();
            String src;
            try {
                src = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                fileError(file, "cannot read file: " + describe(e));
                return Main.ERRORS;
            }
            Graph parsed;
            try {
                parsed = GraphParser.parse(src, file);
            } catch (IrParseException e) {
                err.println(e.getMessage());
                return Main.ERRORS;
            }
            Optional<Graph> g = optimizeForIr(parsed, passes);
            if (g.isEmpty()) return Main.ERRORS;
            Optional<String> t = irText(g.get(), level, irTarget);
            if (t.isEmpty()) return Main.ERRORS;
            text = t.get();
        } else if (isCircuitFile()) {
            if (level.equals("loop")) throw new UsageException("--level loop is for networks; a circuit has no loop IR");
            CircuitOptimize.rejectGraphPassOptions(o);
            Optional<CompiledCircuit> c = compileCircuit();
            if (c.isEmpty()) return Main.ERRORS;
            Optional<tml.ir.quantum.Circuit> optimized = optimizeCircuit(c.get(), true);
            if (optimized.isEmpty()) return Main.ERRORS;
            text = tml.ir.quantum.CircuitPrinter.print(optimized.get());
        } else {
            Optional<Compiled> c = compile();
            if (c.isEmpty()) return Main.ERRORS;
            Optional<Graph> g = optimizeForIr(c.get().graph(), passes);
            if (g.isEmpty()) return Main.ERRORS;
            Optional<String> t = irText(g.get(), level, irTarget);
            if (t.isEmpty()) return Main.ERRORS;
            text = t.get();
        }
        Optional<String> target = o.one("o");
        if (target.isPresent()) {
            try {
                AtomicFiles.write(Path.of(target.get()), text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                fileError(target.get(), "cannot write: " + describe(e));
                return Main.ERRORS;
            }
        } else {
            out.print(text);
        }
        return Main.OK;
    }

    /** The graph IR text, or the planned loop IR of the graph (--level loop); empty after printing an error. */
    private Optional<String> irText(Graph g, String level, String target) {
        if (level.equals("graph")) return Optional.of(GraphPrinter.print(g));
        try {
            return Optional.of(HostCommands.loopText(g, target));
        } catch (HostCommands.Failure e) {
            err.println("tmlc: error: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The graph passes asked for by -O0..-O3 or --passes=a,b,c (not both), printing the IR to stderr
     * after the passes named by --print-ir-after=NAME,...|all; empty when no pass is to run.
     */
    private Optional<PassManager> passManager(String target, int defaultLevel) throws UsageException {
        List<String> levels = o.all("O");
        Optional<String> names = o.one("passes");
        if (levels.size() > 1) throw new UsageException("-O is given more than once");
        if (!levels.isEmpty() && names.isPresent()) throw new UsageException("give either -O or --passes, not both");
        PassManager pm;
        try {
            if (names.isPresent()) {
                pm = PassManager.fromNames(names.get(), target);
            } else {
                int level = defaultLevel;
                if (!levels.isEmpty()) {
                    String l = levels.get(0);
                    if (!l.matches("[0-3]")) throw new UsageException("-O needs a level: -O0, -O1, -O2 or -O3, got '-O" + l + "'");
                    level = Integer.parseInt(l);
                }
                pm = PassManager.forLevel(level, target);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--passes: " + e.getMessage());
        }
        Optional<String> printAfter = o.one("print-ir-after");
        if (printAfter.isPresent()) {
            Set<String> which = printAfter.get().equals("all") ? PassManager.ALL
                    : new LinkedHashSet<>(Arrays.stream(printAfter.get().split(",")).map(String::strip).toList());
            try {
                pm = pm.printAfter(which, err);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--print-ir-after: " + e.getMessage());
            }
        }
        return pm.passes().isEmpty() ? Optional.empty() : Optional.of(pm);
    }

    /**
     * The graph after the passes, for printing: weights come from the seeded initialisation (the IR
     * does not depend on their values). Empty, with the error printed, when a param has no initial value.
     */
    private Optional<Graph> optimizeForIr(Graph g, Optional<PassManager> passes) {
        if (passes.isEmpty()) return Optional.of(g);
        try {
            return Optional.of(passes.get().run(Model.initialized(g, 0)).graph());
        } catch (TmlRuntimeException e) {
            err.println("tmlc: error: cannot optimize network " + g.name() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The runtime's readers start their messages with the file name, which the diagnostic already shows. */
    private static String unprefixed(String message, String file) {
        return message != null && message.startsWith(file + ": ") ? message.substring(file.length() + 2) : String.valueOf(message);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    // ---------------- report ----------------

    /**
     * {@code tmlc report FILE [--target T [-O N | --passes P]]}: the graph's figures; with a target,
     * also its memory as {@code tmlc build} would compile it and, for a board, the budget check (a
     * model that does not fit is reported, with exit code 0).
     */
    private int report() throws UsageException {
        Optional<String> targetName = o.one("target");
        if (targetName.isEmpty() && (!o.all("O").isEmpty() || o.one("passes").isPresent())) {
            throw new UsageException("-O and --passes choose how 'tmlc report --target T' compiles; give --target");
        }
        Optional<Compiled> c = compile();
        if (c.isEmpty()) return Main.ERRORS;
        GraphReport r = GraphReport.of(c.get().graph());
        Optional<TargetReport> t = Optional.empty();
        if (targetName.isPresent()) {
            Optional<Board> board = resolveTarget(targetName.get(), c.get());
            if (board.isEmpty()) return Main.ERRORS;
            Optional<PassManager> passes = passManager(board.get().core(), 3);
            Optional<Graph> g = optimizeForIr(c.get().graph(), passes);
            if (g.isEmpty()) return Main.ERRORS;
            t = measure(board.get(), g.get());
            if (t.isEmpty()) return Main.ERRORS;
        }
        if (o.flag("json")) {
            JsonObject j = r.toJson(o.flag("params"));
            t.ifPresent(x -> j.add("target", x.toJson()));
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(j));
        } else {
            out.print(r.toText(o.flag("params")));
            t.ifPresent(x -> out.print(x.toText()));
        }
        return Main.OK;
    }

    /** Resolves --target against the user's program, the cores and the standard boards; prints why not. */
    private Optional<Board> resolveTarget(String name, Compiled c) {
        TargetResolver.Resolution r = TargetResolver.resolve(name, c.frontend(), c.file());
        r.diagnostics().forEach(this::print);
        return r.board();
    }

    /** The memory of the optimized graph compiled for the board's core at the LLVM level of -O; empty after printing an error. */
    private Optional<TargetReport> measure(Board board, Graph optimized) {
        try {
            return Optional.of(new TargetReport(board, Footprint.measure(optimized, board.llvmTarget().orElseThrow(), HostCommands.llvmLevel(o.all("O")))));
        } catch (HostCommands.Failure e) {
            err.println("tmlc: error: " + e.getMessage());
            return Optional.empty();
        }
    }

    // ---------------- run ----------------

    /** Loads the file once to see whether it is a circuit file: --circuit given, or circuits and no network. */
    private boolean isCircuitFile() throws UsageException {
        if (o.one("circuit").isPresent()) return true;
        if (o.one("network").isPresent() || o.files.size() != 1) return false;
        Frontend probe = new Frontend(includes());
        return probe.load(Path.of(o.files.get(0))).isPresent() && probe.networks().isEmpty() && !probe.circuits().isEmpty();
    }

    private record CompiledCircuit(Frontend frontend, tml.ir.quantum.Circuit circuit) {}

    private Optional<CompiledCircuit> compileCircuit() throws UsageException {
        String file = o.singleFile();
        Frontend fe = new Frontend(includes());
        Optional<tml.ir.quantum.Circuit> c = Optional.empty();
        if (fe.load(Path.of(file)).isPresent() && !fe.diagnostics().hasErrors()) {
            Optional<Decl.Circuit> decl = fe.circuit(o.one("circuit"));
            if (decl.isPresent()) c = fe.elaborateCircuit(decl.get(), o.pairs("param"));
        }
        if (flush(fe) || c.isEmpty()) return Optional.empty();
        return Optional.of(new CompiledCircuit(fe, c.get()));
    }

    /** -O0..-O3 for circuits (default -O0: as written); with --device (ir only) routed onto a declared device. */
    private Optional<tml.ir.quantum.Circuit> optimizeCircuit(CompiledCircuit cc, boolean allowDevice) throws UsageException {
        int level = CircuitOptimize.level(o, 0);
        Optional<tml.ir.quantum.Device> device = Optional.empty();
        if (allowDevice && o.one("device").isPresent()) {
            device = cc.frontend().device(o.one("device").get());
            if (flush(cc.frontend())) return Optional.empty();
            if (device.isEmpty()) throw new UsageException("no device named '" + o.one("device").get() + "' is declared in " + o.files.get(0));
            CircuitOptimize.checkFits(device.get(), cc.circuit());
        }
        long seed;
        try {
            seed = Long.parseLong(o.one("seed").orElse("0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElse("") + "'");
        }
        try {
            return Optional.of(CircuitOptimize.run(cc.circuit(), level, device, seed).circuit());
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("tmlc: error: cannot optimize circuit '" + cc.circuit().name() + "': " + describe(e));
            return Optional.empty();
        }
    }

    private int runCircuit() throws UsageException {
        long seed;
        OptionalInt shots = OptionalInt.empty();
        try {
            seed = Long.parseLong(o.one("seed").orElse("0"));
            if (o.one("shots").isPresent()) shots = OptionalInt.of(Integer.parseInt(o.one("shots").get()));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed and --shots need integers");
        }
        if (shots.isPresent() && (shots.getAsInt() <= 0 || shots.getAsInt() > 100_000_000)) throw new UsageException("--shots must be between 1 and 100000000");
        Map<String, String> inputFiles = inputFiles();
        if (inputFiles.size() > 1) throw new UsageException("a circuit takes one input array");
        CircuitOptimize.rejectGraphPassOptions(o);
        Optional<CompiledCircuit> compiled = compileCircuit();
        if (compiled.isEmpty()) return Main.ERRORS;
        Optional<tml.ir.quantum.Circuit> optimized = optimizeCircuit(compiled.get(), false);
        if (optimized.isEmpty()) return Main.ERRORS;
        Optional<CompiledCircuit> cc = Optional.of(new CompiledCircuit(compiled.get().frontend(), optimized.get()));
        Optional<tml.ir.quantum.Device> device = Optional.empty();
        if (o.one("noise").isPresent()) {
            device = cc.get().frontend().device(o.one("noise").get());
            if (flush(cc.get().frontend())) return Main.ERRORS;
            if (device.isEmpty()) throw new UsageException("no device named '" + o.one("noise").get() + "' is declared in " + o.files.get(0));
            if (device.get().numQubits() < cc.get().circuit().numQubits()) {
                throw new UsageException("device '" + device.get().name() + "' has " + device.get().numQubits() + " qubits; the circuit needs " + cc.get().circuit().numQubits());
            }
        }
        try {
            Optional<Tensor> input = Optional.empty();
            if (!inputFiles.isEmpty()) input = Optional.of(Npy.read(Path.of(inputFiles.values().iterator().next())));
            double[] params = CircuitRun.parameters(cc.get().circuit(), o.one("weights"), seed);
            return CircuitRun.run(cc.get().circuit(), params, input, device, shots, seed, o.all("observable"), o.flag("json"), out);
        } catch (TmlRuntimeException e) {
            for (String line : e.getMessage().split("\n")) err.println("tmlc: error: " + line);
            return Main.ERRORS;
        }
    }

    static final int MAX_WEIGHT_PROBLEMS = 20;

    private int runNetwork() throws UsageException {
        if (isCircuitFile()) return runCircuit();
        String target = o.one("target").orElse("interp");
        if (!target.equals("interp") && !target.equals("host") && McuCommands.core(target).isEmpty()) {
            // a stdlib board runs on its core (in QEMU for a Cortex-M core)
            Optional<Board> board = TargetResolver.stdlibBoard(target);
            if (board.isPresent()) target = board.get().core();
        }
        Optional<tml.backends.llvm.CortexMTarget> mcu = McuCommands.core(target);
        if (!target.equals("interp") && !target.equals("host") && mcu.isEmpty()) {
            throw new UsageException("unknown target '" + target + "' for run; available: interp, host, " + String.join(", ", McuCommands.coreNames())
                    + " and the boards " + String.join(", ", TargetResolver.stdlibBoards().stream().map(Board::name).toList()));
        }
        // The interpreter is the reference: it runs the network as written unless -O or --passes asks otherwise.
        // The host and Cortex-M targets compile: graph passes and LLVM at -O3 unless -O says otherwise.
        Optional<PassManager> passes = passManager(target, target.equals("host") || mcu.isPresent() ? 3 : 0);
        String acc = o.one("accumulate").orElse("f32");
        if (!acc.equals("f32") && !acc.equals("f64")) throw new UsageException("--accumulate must be f32 or f64, got '" + acc + "'");
        long seed;
        try {
            seed = Long.parseLong(o.one("seed").orElse("0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElse("") + "'");
        }
        Map<String, String> outputsOpt = outputTargets();
        Map<String, String> inputFiles = inputFiles();
        Optional<Compiled> c = compile();
        if (c.isEmpty()) return Main.ERRORS;
        Graph g = c.get().graph();

        // inputs
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        if (inputFiles.containsKey("") ) {
            if (g.inputs().size() != 1) throw new UsageException("the network has " + g.inputs().size() + " inputs; name them: --input NAME=X.npy");
            inputFiles.put(g.inputs().get(0).name(), inputFiles.remove(""));
        }
        for (String name : inputFiles.keySet()) {
            if (g.inputs().stream().noneMatch(i -> i.name().equals(name))) {
                throw new UsageException("network '" + g.name() + "' has no input '" + name + "' (inputs: "
                        + String.join(", ", g.inputs().stream().map(Input::name).toList()) + ")");
            }
        }
        boolean failed = false;
        Integer batch = null;
        for (Input in : g.inputs()) {
            String file = inputFiles.get(in.name());
            if (file == null) {
                throw new UsageException("network '" + g.name() + "' needs input '" + in.name() + "' " + in.type() + " (--input " + in.name() + "=X.npy)");
            }
            Tensor t;
            try {
                t = Npy.read(Path.of(file));
            } catch (TmlRuntimeException e) {
                fileError(file, unprefixed(e.getMessage(), file));
                failed = true;
                continue;
            }
            List<Integer> want = in.type().shape();
            int thisBatch;
            if (t.shape().equals(want)) {
                thisBatch = 0;
            } else if (t.rank() == want.size() + 1 && t.shape().subList(1, t.rank()).equals(want)) {
                thisBatch = t.dim(0);
            } else {
                fileError(file, "input '" + in.name() + "' has shape " + t.shape() + " but the network expects " + want
                        + " (or [N, " + String.join(", ", want.stream().map(String::valueOf).toList()) + "] for a batch)");
                failed = true;
                continue;
            }
            if (batch != null && batch != thisBatch) {
                fileError(file, "inputs disagree on the batch size (" + batch + " and " + thisBatch + ")");
                failed = true;
                continue;
            }
            batch = thisBatch;
            inputs.put(in.name(), t);
        }
        if (failed) return Main.ERRORS;
        for (String name : outputsOpt.keySet()) {
            if (!name.isEmpty() && g.outputs().stream().noneMatch(x -> x.name().equals(name))) {
                throw new UsageException("network '" + g.name() + "' has no output '" + name + "'");
            }
        }
        if (outputsOpt.containsKey("") && g.outputs().size() != 1) {
            throw new UsageException("the network has " + g.outputs().size() + " outputs; name them: --output NAME=Y.npy");
        }

        // weights
        Map<String, Tensor> params;
        Optional<String> weights = o.one("weights");
        if (weights.isPresent()) {
            Weights.Binding b;
            try {
                b = Weights.fromSafetensors(g, Path.of(weights.get()));
            } catch (TmlRuntimeException e) {
                fileError(weights.get(), unprefixed(e.getMessage(), weights.get()));
                return Main.ERRORS;
            }
            if (!b.ok()) {
                int shown = Math.min(b.problems().size(), MAX_WEIGHT_PROBLEMS);
                b.problems().subList(0, shown).forEach(p -> fileError(weights.get(), p));
                if (b.problems().size() > shown) {
                    fileError(weights.get(), "... and " + (b.problems().size() - shown) + " more problems (" + b.problems().size()
                            + " in all): is this checkpoint for network '" + g.name() + "'?");
                }
                return Main.ERRORS;
            }
            params = b.params();
        } else {
            params = Weights.initialize(g, seed);
        }

        // optimize (names of inputs and outputs stay), then execute, sample by sample for a batch
        Graph exec = g;
        if (passes.isPresent()) {
            Model m = passes.get().run(new Model(g, ImmutableMap.copyOf(params)));
            exec = m.graph();
            params = m.weights();
        }
        Interpreter interp = new Interpreter(acc.equals("f64") ? Accumulation.F64 : Accumulation.F32);
        Map<String, Tensor> results;
        try {
            if (target.equals("host")) {
                results = HostCommands.run(exec, inputs, params, batch, HostCommands.llvmLevel(o.all("O")));
            } else if (mcu.isPresent()) {
                results = McuCommands.run(exec, inputs, params, batch, HostCommands.llvmLevel(o.all("O")), mcu.get(), err);
            } else if (batch == 0) {
                results = interp.run(exec, inputs, params);
            } else {
                List<Map<String, Tensor>> samples = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    Map<String, Tensor> one = new LinkedHashMap<>();
                    for (var e : inputs.entrySet()) one.put(e.getKey(), slice(e.getValue(), b));
                    samples.add(interp.run(exec, one, params));
                }
                results = new LinkedHashMap<>();
                for (Output out : g.outputs()) results.put(out.name(), stack(samples.stream().map(m -> m.get(out.name())).toList()));
            }
        } catch (TmlRuntimeException e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        } catch (HostCommands.Failure e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        }

        // outputs
        for (var e : outputsOpt.entrySet()) {
            String name = e.getKey().isEmpty() ? g.outputs().get(0).name() : e.getKey();
            try {
                AtomicFiles.write(Path.of(e.getValue()), Npy.encode(results.get(name)));
            } catch (IOException | RuntimeException ex) {
                fileError(e.getValue(), "cannot write: " + describe(ex));
                return Main.ERRORS;
            }
        }
        if (outputsOpt.isEmpty() || o.flag("json")) printResults(results);
        return Main.OK;
    }

    private Map<String, String> outputTargets() throws UsageException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : o.all("output")) {
            int eq = v.indexOf('=');
            String key = eq > 0 && !v.substring(0, eq).contains("/") ? v.substring(0, eq) : "";
            String file = key.isEmpty() ? v : v.substring(eq + 1);
            if (m.put(key, file) != null) throw new UsageException("--output " + (key.isEmpty() ? "" : key + "=") + "... is given twice");
        }
        return m;
    }

    private Map<String, String> inputFiles() throws UsageException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : o.all("input")) {
            int eq = v.indexOf('=');
            String key = eq > 0 && !v.substring(0, eq).contains("/") ? v.substring(0, eq) : "";
            String file = key.isEmpty() ? v : v.substring(eq + 1);
            if (m.put(key, file) != null) throw new UsageException("--input " + (key.isEmpty() ? "" : key + "=") + "... is given twice");
        }
        return m;
    }

    private static Tensor slice(Tensor t, int b) {
        int per = t.numel() / t.dim(0);
        float[] data = Arrays.copyOfRange(t.data(), b * per, (b + 1) * per);
        return Tensor.wrap(t.shape().subList(1, t.rank()), data);
    }

    private static Tensor stack(List<Tensor> ts) {
        int per = ts.get(0).numel();
        float[] data = new float[per * ts.size()];
        for (int i = 0; i < ts.size(); i++) System.arraycopy(ts.get(i).data(), 0, data, i * per, per);
        List<Integer> shape = new ArrayList<>();
        shape.add(ts.size());
        shape.addAll(ts.get(0).shape());
        return Tensor.wrap(shape, data);
    }

    private void printResults(Map<String, Tensor> results) {
        if (o.flag("json")) {
            JsonObject root = new JsonObject();
            for (var e : results.entrySet()) {
                JsonObject t = new JsonObject();
                JsonArray shape = new JsonArray();
                e.getValue().shape().forEach(shape::add);
                JsonArray data = new JsonArray();
                for (float f : e.getValue().data()) data.add(f);
                t.add("shape", shape);
                t.add("data", data);
                root.add(e.getKey(), t);
            }
            out.println(root);
            return;
        }
        for (var e : results.entrySet()) {
            Tensor t = e.getValue();
            float[] d = t.data();
            StringBuilder sb = new StringBuilder();
            sb.append(e.getKey()).append(": f32").append(t.shape().toString().replace(" ", ""));
            int last = t.rank() == 0 ? 1 : t.dim(-1);
            int rows = d.length / Math.max(1, last);
            for (int r = 0; r < Math.min(rows, 8); r++) {
                int arg = 0;
                for (int i = 1; i < last; i++) if (d[r * last + i] > d[r * last + arg]) arg = i;
                sb.append("\n  [");
                for (int i = 0; i < Math.min(last, 8); i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", d[r * last + i]));
                if (last > 8) sb.append(", ... (").append(last).append(" values)");
                sb.append("]  argmax ").append(arg);
            }
            if (rows > 8) sb.append("\n  ... (").append(rows).append(" rows)");
            out.println(sb);
        }
    }
}
