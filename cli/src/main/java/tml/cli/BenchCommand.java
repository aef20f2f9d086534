package tml.cli;

import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import tml.backends.llvm.BackendException;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.OptLevel;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.DiagnosticRenderer;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.optimizer.lower.LoweringException;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;
import tml.runtime.Weights;
import tml.runtime.io.Npy;

/**
 * {@code tmlc bench FILE [--network N] [--param k=v] --target host [--runs N] [--warmup N] [-O0..-O3]
 * [--weights W.safetensors | --seed S] [--input [NAME=]X.npy] [--profile] [--json]}: compiles the network once
 * for the host (graph passes and LLVM at the -O level, default -O3), runs the forward pass
 * {@code warmup} times untimed, then {@code runs} times timed (the native call alone: inputs are
 * copied in once), and prints the median and minimum milliseconds. Inputs are uniform in [-1, 1)
 * from the seed unless given; parameters come from --weights or the seeded initialisation, as for
 * {@code run}. With {@code --profile} the code also counts each kernel's cycles (the CPU's cycle
 * counter, read around every kernel call), and the report adds each kernel's mean time within the
 * timed runs, slowest first: where the time goes in the whole forward pass, caches as they are then.
 */
final class BenchCommand {
    static final int DEFAULT_RUNS = 50, DEFAULT_WARMUP = 10, MAX_RUNS = 1_000_000;

    private final Options o;
    private final PrintStream out, err;
    private final boolean jsonDiagnostics;

    BenchCommand(Options o, PrintStream out, PrintStream err) throws UsageException {
        this.o = o;
        this.out = out;
        this.err = err;
        this.jsonDiagnostics = o.one("diagnostic-format").orElse("text").equals("json");
    }

    /** Validated command-line settings. */
    record Settings(String file, int runs, int warmup, int level, long seed) {
        static Settings parse(Options o) throws UsageException {
            String target = o.one("target").orElse("host");
            if (!target.equals("host")) throw new UsageException("unknown target '" + target + "' for bench; available: host");
            int runs = count(o, "runs", DEFAULT_RUNS, 1);
            int warmup = count(o, "warmup", DEFAULT_WARMUP, 0);
            List<String> levels = o.all("O");
            if (levels.size() > 1) throw new UsageException("-O is given more than once");
            int level = 3;
            if (!levels.isEmpty()) {
                if (!levels.get(0).matches("[0-3]")) throw new UsageException("-O needs a level: -O0, -O1, -O2 or -O3, got '-O" + levels.get(0) + "'");
                level = Integer.parseInt(levels.get(0));
            }
            long seed;
            try {
                seed = Long.parseLong(o.one("seed").orElse("0"));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed needs an integer, got '" + o.one("seed").orElse("") + "'");
            }
            return new Settings(o.singleFile(), runs, warmup, level, seed);
        }

        private static int count(Options o, String name, int dflt, int min) throws UsageException {
            Optional<String> v = o.one(name);
            if (v.isEmpty()) return dflt;
            int n;
            try {
                n = Integer.parseInt(v.get().strip());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " needs a whole number, got '" + v.get() + "'");
            }
            if (n < min || n > MAX_RUNS) throw new UsageException("--" + name + " must be between " + min + " and " + MAX_RUNS + ", got " + n);
            return n;
        }
    }

    /** Timings of the timed runs, in milliseconds. */
    record Stats(double medianMs, double minMs, double meanMs, double maxMs) {
        static Stats of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
            return new Stats(median / 1e6, s[0] / 1e6, Arrays.stream(s).average().orElse(0) / 1e6, s[n - 1] / 1e6);
        }
    }

    int run() throws UsageException {
        Settings s = Settings.parse(o);
        Map<String, String> inputFiles = inputOptions();
        Frontend fe = new Frontend(o.all("I").stream().map(Path::of).toList());
        Optional<Graph> graph = Optional.empty();
        if (fe.load(Path.of(s.file())).isPresent() && !fe.diagnostics().hasErrors()) {
            Optional<Decl.Network> net = fe.network(o.one("network"));
            if (net.isPresent()) graph = fe.elaborate(net.get(), o.pairs("param"));
        }
        fe.diagnostics().all().forEach(this::print);
        if (fe.diagnostics().hasErrors() || graph.isEmpty()) return Main.ERRORS;
        Graph g = graph.get();

        Optional<float[][]> inputs = inputs(g, inputFiles, s.seed());
        if (inputs.isEmpty()) return Main.ERRORS;
        Optional<Map<String, Tensor>> params = params(g, s.seed());
        if (params.isEmpty()) return Main.ERRORS;

        long t0 = System.nanoTime();
        HostBackend.Compiled compiled;
        try {
            Model m = PassManager.forLevel(s.level(), "host").run(new Model(g, ImmutableMap.copyOf(params.get())));
            Map<String, float[]> arrays = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> arrays.put(k, v.data()));
            compiled = HostBackend.compile(m.graph(), arrays, OptLevel.parse("O" + s.level()), o.flag("profile"));
        } catch (LoweringException | BackendException | TmlRuntimeException | IllegalArgumentException e) {
            err.println("tmlc: error: " + e.getMessage());
            return Main.ERRORS;
        }
        long compileMillis = (System.nanoTime() - t0) / 1_000_000;
        long[] nanos = new long[s.runs()];
        Optional<List<KernelTime>> profile;
        try (compiled) {
            compiled.model().setInputs(inputs.get());
            for (int i = 0; i < s.warmup(); i++) compiled.model().invoke();
            compiled.model().resetProfile();
            for (int i = 0; i < s.runs(); i++) {
                long a = System.nanoTime();
                compiled.model().invoke();
                nanos[i] = System.nanoTime() - a;
            }
            profile = compiled.model().profileCycles().map(c -> KernelTime.of(compiled.plan().program(), g, c, nanos));
        }
        report(g, s, compileMillis, Stats.of(nanos), profile);
        return Main.OK;
    }

    /** One kernel's share of the timed runs: its mean milliseconds per run, and what it computes. */
    record KernelTime(String kernel, String op, double meanMs, double share) {
        /**
         * Per-kernel means from summed cycle counts ({@code cycles}: one per kernel, then the whole
         * call), converted to time by the ratio of the runs' wall time to the whole call's cycles.
         * Slowest first.
         */
        static List<KernelTime> of(tml.ir.loop.Program p, Graph g, long[] cycles, long[] nanos) {
            int k = p.kernels().size();
            long total = Math.max(1, cycles[k]);
            double nsPerCycle = Arrays.stream(nanos).sum() / (double) total, runs = nanos.length;
            List<KernelTime> rows = new java.util.ArrayList<>();
            for (int i = 0; i < k; i++) {
                String name = p.kernels().get(i).name();
                String op = g.node(name).map(n -> n.op().getClass().getSimpleName() + " " + n.type()).orElse("copy");
                rows.add(new KernelTime(name, op, cycles[i] * nsPerCycle / runs / 1e6, cycles[i] / (double) total));
            }
            rows.sort((a, b) -> Double.compare(b.meanMs, a.meanMs));
            return rows;
        }
    }

    private void report(Graph g, Settings s, long compileMillis, Stats st, Optional<List<KernelTime>> profile) {
        HostTarget host = HostTarget.get();
        if (o.flag("json")) {
            JsonObject j = new JsonObject();
            j.addProperty("network", g.name());
            j.addProperty("target", "host");
            j.addProperty("triple", host.triple());
            j.addProperty("cpu", host.cpu());
            j.addProperty("opt_level", s.level());
            j.addProperty("compile_ms", compileMillis);
            j.addProperty("runs", s.runs());
            j.addProperty("warmup", s.warmup());
            j.addProperty("median_ms", st.medianMs());
            j.addProperty("min_ms", st.minMs());
            j.addProperty("mean_ms", st.meanMs());
            j.addProperty("max_ms", st.maxMs());
            profile.ifPresent(rows -> {
                com.google.gson.JsonArray a = new com.google.gson.JsonArray();
                for (KernelTime t : rows) {
                    JsonObject r = new JsonObject();
                    r.addProperty("kernel", t.kernel());
                    r.addProperty("op", t.op());
                    r.addProperty("mean_ms", t.meanMs());
                    r.addProperty("share", t.share());
                    a.add(r);
                }
                j.add("kernels", a);
            });
            out.println(j);
            return;
        }
        out.printf(Locale.ROOT, "%s on host (%s, %s): compiled in %d ms (-O%d); %d runs after %d warm-up: median %.3f ms, min %.3f ms%n",
                g.name(), host.triple(), host.cpu(), compileMillis, s.level(), s.runs(), s.warmup(), st.medianMs(), st.minMs());
        profile.ifPresent(rows -> {
            out.printf(Locale.ROOT, "%10s %7s %7s  %-40s %s%n", "mean ms", "share", "cumul.", "kernel", "op");
            double cumulative = 0;
            for (KernelTime t : rows) {
                cumulative += t.share();
                out.printf(Locale.ROOT, "%10.4f %6.1f%% %6.1f%%  %-40s %s%n", t.meanMs(), 100 * t.share(), 100 * cumulative, t.kernel(), t.op());
            }
        });
    }

    /** The runtime's readers start their messages with the file name, which the diagnostic already shows. */
    private static String unprefixed(String message, String file) {
        return message != null && message.startsWith(file + ": ") ? message.substring(file.length() + 2) : String.valueOf(message);
    }

    private void print(Diagnostic d) {
        err.print(jsonDiagnostics ? DiagnosticRenderer.json(d) + "\n" : DiagnosticRenderer.text(d));
    }

    /** --input X.npy (the only input) or --input NAME=X.npy, by name ("" for the unnamed one). */
    private Map<String, String> inputOptions() throws UsageException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : o.all("input")) {
            int eq = v.indexOf('=');
            String key = eq > 0 && !v.substring(0, eq).contains("/") ? v.substring(0, eq) : "";
            if (m.put(key, key.isEmpty() ? v : v.substring(eq + 1)) != null) throw new UsageException("--input " + (key.isEmpty() ? "" : key + "=") + "... is given twice");
        }
        return m;
    }

    /** Each input's elements: from its .npy file (exactly the input's shape), else uniform in [-1, 1) from the seed. */
    private Optional<float[][]> inputs(Graph g, Map<String, String> files, long seed) throws UsageException {
        Map<String, String> byName = new LinkedHashMap<>(files);
        if (byName.containsKey("")) {
            if (g.inputs().size() != 1) throw new UsageException("the network has " + g.inputs().size() + " inputs; name them: --input NAME=X.npy");
            byName.put(g.inputs().get(0).name(), byName.remove(""));
        }
        for (String name : byName.keySet()) {
            if (g.inputs().stream().noneMatch(i -> i.name().equals(name))) throw new UsageException("network '" + g.name() + "' has no input '" + name + "'");
        }
        Random r = new Random(seed * 31 + 7);
        float[][] result = new float[g.inputs().size()][];
        boolean failed = false;
        for (int k = 0; k < result.length; k++) {
            Input in = g.inputs().get(k);
            String file = byName.get(in.name());
            if (file == null) {
                result[k] = new float[Math.toIntExact(in.type().numel())];
                for (int i = 0; i < result[k].length; i++) result[k][i] = r.nextFloat() * 2 - 1;
                continue;
            }
            try {
                Tensor t = Npy.read(Path.of(file));
                if (!t.shape().equals(in.type().shape())) {
                    print(Diagnostic.fileError(file, "input '" + in.name() + "' has shape " + t.shape() + " but the network expects " + in.type().shape()));
                    failed = true;
                } else {
                    result[k] = t.data();
                }
            } catch (TmlRuntimeException e) {
                print(Diagnostic.fileError(file, unprefixed(e.getMessage(), file)));
                failed = true;
            }
        }
        return failed ? Optional.empty() : Optional.of(result);
    }

    /** The parameters from --weights, else initialised from the seed. */
    private Optional<Map<String, Tensor>> params(Graph g, long seed) throws UsageException {
        Optional<String> weights = o.one("weights");
        if (weights.isEmpty()) return Optional.of(Weights.initialize(g, seed));
        Weights.Binding b;
        try {
            b = Weights.fromSafetensors(g, Path.of(weights.get()));
        } catch (TmlRuntimeException e) {
            print(Diagnostic.fileError(weights.get(), unprefixed(e.getMessage(), weights.get())));
            return Optional.empty();
        }
        if (!b.ok()) {
            b.problems().subList(0, Math.min(b.problems().size(), Commands.MAX_WEIGHT_PROBLEMS)).forEach(p -> print(Diagnostic.fileError(weights.get(), p)));
            return Optional.empty();
        }
        return Optional.of(b.params());
    }
}
