package tml.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.collect.ImmutableMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.OptLevel;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.ir.graph.Graph;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Tensor;
import tml.runtime.Weights;
import tml.runtime.io.Npy;

/**
 * Host latency of TML's compiled code, ONNX Runtime (Java) and PyTorch (a {@code torch_bench.py}
 * child process), measured side by side in one process on whatever cores the process may use
 * ({@code bench/host/run.sh} pins it to one with {@code taskset}).
 *
 * <p>For each model of {@code models.tsv} (exported by {@code export_models.py} into the cache):
 * TML elaborates the stdlib network, binds the safetensors weights, runs the -O3 host graph passes
 * and compiles with LLVM -O3 (times recorded); ONNX Runtime opens the ONNX file with one intra-op and
 * one inter-op thread, sequential execution and all graph optimizations; PyTorch loads the same
 * state_dict. Every engine runs the same input once and its output is compared with PyTorch's
 * float64 reference (relative L2 error). Then, after warm-up, {@code rounds} rounds each time
 * {@code runs} single-input inferences of every engine in turn (the order rotates every round), so
 * the engines share the machine's state; medians and minima are over all rounds × runs.
 * A timed TML inference is {@code NativeModel.run} (input copied in, the native function, output
 * copied out); ONNX Runtime's is {@code session.run} on a prepared input tensor (the result closed);
 * PyTorch's is {@code model(x)} under {@code torch.inference_mode()}, timed inside Python.
 *
 * <p>Writes a Markdown fragment (tables) to {@code --out} and prints it. Exit status 1 when an
 * engine's output does not match the reference (relative L2 error above {@code --tolerance}).
 */
public final class HostBench {
    record Spec(String id, String label, String torchModel, String width, int resolution, String tmlFile, String network,
            Map<String, String> params) {}

    record Stats(double medianMs, double minMs, int n) {
        static Stats of(List<Long> ns) {
            long[] a = ns.stream().mapToLong(Long::longValue).sorted().toArray();
            double med = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
            return new Stats(med / 1e6, a[0] / 1e6, a.length);
        }
    }

    record Result(Spec spec, Stats tml, Stats ort, Stats torch, double errTml, double errOrt, double errTorch, double tmlVsOrt,
            double tmlVsTorch, long elabMs, long passesMs, long llvmMs, long arenaBytes, long ortSessionMs, double ratioOrt,
            double ratioTorch, String failure) {
        static Result failed(Spec spec, String why) {
            return new Result(spec, null, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, why);
        }
    }

    /** One engine: run once for the output, then run n times returning nanoseconds. */
    interface Engine extends AutoCloseable {
        String name();
        float[] output() throws Exception;
        List<Long> time(int n) throws Exception;
        @Override default void close() throws Exception {}
    }

    // ------------------------------------------------------------------------------------------
    // options

    private Path repo = Path.of(".");
    private Path models = Path.of("bench/host/models.tsv");
    private Path cache = Path.of("bench/host/.cache");
    private List<String> only = List.of();
    private int rounds = 20;
    private int runs = 10;
    private int warmup = 10;
    private String python = "/usr/bin/python3";
    private Path torchScript = Path.of("bench/host/torch_bench.py");
    private boolean torch = true;
    private double tolerance = 1e-3;
    private Optional<Path> out = Optional.empty();

    public static void main(String[] args) throws Exception {
        HostBench b = new HostBench();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--repo" -> b.repo = Path.of(args[++i]);
                case "--models" -> b.models = Path.of(args[++i]);
                case "--cache" -> b.cache = Path.of(args[++i]);
                case "--only" -> b.only = Arrays.stream(args[++i].split(",")).filter(s -> !s.isBlank()).toList();
                case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
                case "--runs" -> b.runs = Integer.parseInt(args[++i]);
                case "--warmup" -> b.warmup = Integer.parseInt(args[++i]);
                case "--python" -> b.python = args[++i];
                case "--torch-script" -> b.torchScript = Path.of(args[++i]);
                case "--no-torch" -> b.torch = false;
                case "--tolerance" -> b.tolerance = Double.parseDouble(args[++i]);
                case "--out" -> b.out = Optional.of(Path.of(args[++i]));
                default -> {
                    System.err.println("HostBench: unknown argument " + a);
                    System.exit(2);
                }
            }
        }
        System.exit(b.run());
    }

    private static void log(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "hostbench: " + fmt + "%n", args);
    }

    List<Spec> readSpecs() throws IOException {
        List<Spec> specs = new ArrayList<>();
        for (String line : Files.readAllLines(models)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] f = t.split("\\s+");
            if (f.length != 8) throw new IllegalArgumentException(models + ": expected 8 columns: " + t);
            Map<String, String> params = new LinkedHashMap<>();
            if (!f[7].equals("-")) {
                for (String kv : f[7].split(",")) {
                    int eq = kv.indexOf('=');
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            if (!only.isEmpty() && !only.contains(f[0])) continue;
            specs.add(new Spec(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], f[6], params));
        }
        return specs;
    }

    int run() throws Exception {
        System.setProperty("tml.home", repo.toAbsolutePath().toString());
        List<Spec> specs = readSpecs();
        if (specs.isEmpty()) {
            log("no models selected");
            return 2;
        }
        List<Result> results = new ArrayList<>();
        String torchInfo = "not run";
        try (TorchServer server = torch ? new TorchServer(python, torchScript) : null) {
            if (server != null) torchInfo = server.ask("info").substring("info ".length());
            for (Spec s : specs) {
                try {
                    results.add(measure(s, server));
                } catch (Exception | LinkageError e) {
                    log("%s: failed: %s", s.label(), e);
                    e.printStackTrace();
                    results.add(Result.failed(s, String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage()).lines().findFirst().orElse("")));
                }
            }
        }
        String md = markdown(results, torchInfo);
        System.out.print(md);
        if (out.isPresent()) Files.writeString(out.get(), md);
        boolean bad = results.stream().anyMatch(r -> r.failure() != null || !(r.errTml <= tolerance && r.errOrt <= tolerance && (!torch || r.errTorch <= tolerance)));
        if (bad) log("a model failed, or an engine's output differs from the reference by more than %.0e (relative L2): see the tables", tolerance);
        return bad ? 1 : 0;
    }

    Result measure(Spec s, TorchServer server) throws Exception {
        Path dir = cache.resolve(s.id());
        float[] x = Npy.read(dir.resolve("input.npy")).data();
        float[] ref = Npy.read(dir.resolve("expected.npy")).data();
        log("%s: compiling with TML", s.label());

        // TML: elaborate, bind weights, graph passes, LLVM
        long t0 = System.nanoTime();
        Frontend fe = new Frontend(List.of());
        Graph g = null;
        if (fe.load(repo.resolve(s.tmlFile())).isPresent() && !fe.diagnostics().hasErrors()) {
            Optional<Decl.Network> net = fe.network(Optional.of(s.network()));
            if (net.isPresent()) g = fe.elaborate(net.get(), s.params()).orElse(null);
        }
        if (g == null || fe.diagnostics().hasErrors()) {
            throw new IllegalStateException(s.tmlFile() + " " + s.network() + ": does not elaborate: " + fe.diagnostics().all());
        }
        ImmutableMap<String, Tensor> weights = Weights.fromSafetensors(g, dir.resolve("weights.safetensors")).orThrow();
        long t1 = System.nanoTime();
        Model m = PassManager.forLevel(3, "host").run(new Model(g, weights));
        Map<String, float[]> params = new LinkedHashMap<>();
        m.weights().forEach((k, v) -> params.put(k, v.data()));
        long t2 = System.nanoTime();
        HostBackend.Compiled compiled = HostBackend.compile(m.graph(), params, OptLevel.O3);
        long t3 = System.nanoTime();
        long elabMs = (t1 - t0) / 1_000_000, passesMs = (t2 - t1) / 1_000_000, llvmMs = (t3 - t2) / 1_000_000;
        log("%s: TML elaboration + weights %d ms, graph passes %d ms, LLVM + load %d ms, arena %d bytes", s.label(), elabMs, passesMs,
                llvmMs, compiled.plan().arenaBytes());

        List<Engine> engines = new ArrayList<>();
        engines.add(new Engine() {
            public String name() { return "TML"; }
            public float[] output() { return compiled.run(x)[0]; }
            public List<Long> time(int n) {
                List<Long> ts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long a = System.nanoTime();
                    compiled.run(x);
                    ts.add(System.nanoTime() - a);
                }
                return ts;
            }
            public void close() { compiled.close(); }
        });

        // ONNX Runtime
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long o0 = System.nanoTime();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(1);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session = env.createSession(dir.resolve("model.onnx").toString(), so);
        long ortSessionMs = (System.nanoTime() - o0) / 1_000_000;
        String inName = session.getInputNames().iterator().next();
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, s.resolution(), s.resolution()});
        Map<String, OnnxTensor> feed = Map.of(inName, input);
        log("%s: ONNX Runtime %s session %d ms", s.label(), OrtEnvironment.getEnvironment().getVersion(), ortSessionMs);
        engines.add(new Engine() {
            public String name() { return "ORT"; }
            public float[] output() throws OrtException {
                try (OrtSession.Result r = session.run(feed)) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] y = new float[fb.remaining()];
                    fb.get(y);
                    return y;
                }
            }
            public List<Long> time(int n) throws OrtException {
                List<Long> ts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long a = System.nanoTime();
                    session.run(feed).close();
                    ts.add(System.nanoTime() - a);
                }
                return ts;
            }
            public void close() throws OrtException {
                input.close();
                session.close();
                so.close();
            }
        });

        // PyTorch (child process)
        if (server != null) {
            String reply = server.ask("load " + s.id() + " " + dir.toAbsolutePath());
            float[] ty = parseFloats(reply, "ok");
            engines.add(new Engine() {
                public String name() { return "PyTorch"; }
                public float[] output() { return ty; }
                public List<Long> time(int n) throws IOException {
                    String r = server.ask("time " + n);
                    if (!r.startsWith("times ")) throw new IOException("torch_bench.py: " + r);
                    return Arrays.stream(r.substring(6).trim().split(" ")).map(Long::parseLong).toList();
                }
            });
        }

        try {
            // outputs against the float64 reference
            Map<String, float[]> outs = new LinkedHashMap<>();
            for (Engine e : engines) outs.put(e.name(), e.output());
            double errTml = relL2(outs.get("TML"), ref), errOrt = relL2(outs.get("ORT"), ref);
            double errTorch = outs.containsKey("PyTorch") ? relL2(outs.get("PyTorch"), ref) : Double.NaN;
            double tmlVsOrt = relL2(outs.get("TML"), outs.get("ORT"));
            double tmlVsTorch = outs.containsKey("PyTorch") ? relL2(outs.get("TML"), outs.get("PyTorch")) : Double.NaN;
            log("%s: relative L2 error against PyTorch float64: TML %.2e, ORT %.2e, PyTorch float32 %.2e", s.label(), errTml, errOrt, errTorch);

            // warm-up, then interleaved rounds
            for (Engine e : engines) e.time(warmup);
            Map<String, List<Long>> samples = new LinkedHashMap<>();
            Map<String, List<Double>> roundMedians = new LinkedHashMap<>();
            for (Engine e : engines) {
                samples.put(e.name(), new ArrayList<>());
                roundMedians.put(e.name(), new ArrayList<>());
            }
            long r0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < engines.size(); k++) {
                    Engine e = engines.get((r + k) % engines.size());
                    List<Long> ts = e.time(runs);
                    samples.get(e.name()).addAll(ts);
                    roundMedians.get(e.name()).add(Stats.of(ts).medianMs());
                }
            }
            Stats tml = Stats.of(samples.get("TML")), ort = Stats.of(samples.get("ORT"));
            Stats tt = samples.containsKey("PyTorch") ? Stats.of(samples.get("PyTorch")) : null;
            log("%s: %d rounds x %d runs in %.1f s: median TML %.2f ms, ORT %.2f ms%s", s.label(), rounds, runs, (System.nanoTime() - r0) / 1e9,
                    tml.medianMs(), ort.medianMs(), tt == null ? "" : String.format(Locale.ROOT, ", PyTorch %.2f ms", tt.medianMs()));
            double ratioOrt = pairedRatio(roundMedians.get("TML"), roundMedians.get("ORT"));
            double ratioTorch = tt == null ? Double.NaN : pairedRatio(roundMedians.get("TML"), roundMedians.get("PyTorch"));
            return new Result(s, tml, ort, tt, errTml, errOrt, errTorch, tmlVsOrt, tmlVsTorch, elabMs, passesMs, llvmMs,
                    compiled.plan().arenaBytes(), ortSessionMs, ratioOrt, ratioTorch, null);
        } finally {
            for (Engine e : engines) e.close();
        }
    }

    /** The median over rounds of a's round median divided by b's (the same round: paired). */
    static double pairedRatio(List<Double> a, List<Double> b) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i) / b.get(i);
        Arrays.sort(r);
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    static double relL2(float[] a, float[] ref) {
        if (a.length != ref.length) return Double.POSITIVE_INFINITY;
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static float[] parseFloats(String reply, String tag) throws IOException {
        String[] p = reply.trim().split(" ");
        if (!p[0].equals(tag)) throw new IOException("torch_bench.py: " + reply);
        int n = Integer.parseInt(p[1]);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Float.parseFloat(p[i + 2]);
        return v;
    }

    // ------------------------------------------------------------------------------------------
    // report

    private String markdown(List<Result> rs, String torchInfo) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Latency of one inference (batch 1, float32), ms: median (min) of %d rounds × %d runs per engine, "
                + "engines interleaved round by round after %d warm-up runs each. Ratios: the median over rounds of the ratio of the two "
                + "engines' medians in that round (paired, so load changes between rounds cancel out; below 1: TML faster). "
                + "Errors: relative L2 distance between the logits.%n%n", rounds, runs, warmup));
        b.append("| model | TML | ONNX Runtime | PyTorch | TML / ORT | TML / PyTorch | error TML vs ORT | error TML vs PyTorch |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rs) {
            if (r.failure() != null) {
                b.append("| ").append(r.spec().label()).append(" | failed: ").append(r.failure().replace("|", "\\|"))
                        .append(" | | | | | | |\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1e | %s |%n", r.spec().label(), cell(r.tml()), cell(r.ort()),
                    r.torch() == null ? "–" : cell(r.torch()), ratio(r.ratioOrt()), r.torch() == null ? "–" : ratio(r.ratioTorch()),
                    r.tmlVsOrt(), Double.isNaN(r.tmlVsTorch()) ? "–" : String.format(Locale.ROOT, "%.1e", r.tmlVsTorch())));
        }
        List<Result> ok = rs.stream().filter(r -> r.failure() == null).toList();
        long vsOrt = ok.stream().filter(r -> r.tml().medianMs() <= r.ort().medianMs()).count();
        b.append(String.format(Locale.ROOT, "%nTML's median latency is at most ONNX Runtime's on %d of %d models", vsOrt, rs.size()));
        if (torch) {
            long vsTorch = ok.stream().filter(r -> r.torch() != null && r.tml().medianMs() <= r.torch().medianMs()).count();
            b.append(String.format(Locale.ROOT, " and at most PyTorch's on %d of %d", vsTorch, rs.size()));
        }
        b.append(String.format(Locale.ROOT, "; paired ratio TML / ORT from %.2f to %.2f.%n",
                ok.stream().mapToDouble(Result::ratioOrt).min().orElse(Double.NaN), ok.stream().mapToDouble(Result::ratioOrt).max().orElse(Double.NaN)));
        b.append(String.format(Locale.ROOT, "%nCompilation and accuracy. TML: elaboration of the stdlib network with the weights bound, "
                + "the -O3 host graph passes, then lowering, memory planning, LLVM -O3, linking and loading (models in this order in one "
                + "JVM: the first one also warms the JIT up). ORT: creating the session (graph optimizations included). Error: relative "
                + "L2 distance to PyTorch's float64 output on the same weights and input (PyTorch %s).%n%n", torchInfo));
        b.append("| model | TML elaboration | TML graph passes | TML LLVM + load | TML arena | ORT session | error TML | error ORT | error PyTorch f32 |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rs) {
            if (r.failure() != null) continue;
            b.append(String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %,d B | %d ms | %.1e | %.1e | %s |%n", r.spec().label(), r.elabMs(),
                    r.passesMs(), r.llvmMs(), r.arenaBytes(), r.ortSessionMs(), r.errTml(), r.errOrt(),
                    Double.isNaN(r.errTorch()) ? "–" : String.format(Locale.ROOT, "%.1e", r.errTorch())));
        }
        return b.toString();
    }

    private static String cell(Stats s) { return String.format(Locale.ROOT, "%.2f (%.2f)", s.medianMs(), s.minMs()); }

    private static String ratio(double r) { return String.format(Locale.ROOT, "%.2f", r); }

    // ------------------------------------------------------------------------------------------

    /** torch_bench.py as a child process speaking its line protocol. */
    static final class TorchServer implements AutoCloseable {
        private final Process p;
        private final Writer in;
        private final BufferedReader out;

        TorchServer(String python, Path script) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(python, script.toAbsolutePath().toString());
            pb.directory(script.toAbsolutePath().getParent().toFile());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            p = pb.start();
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
            String r = out.readLine();
            if (r == null) throw new IOException("torch_bench.py exited (status " + waitExit() + ")");
            if (r.startsWith("error")) throw new IOException("torch_bench.py: " + r);
            return r;
        }

        private int waitExit() {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override public void close() {
            try {
                in.write("quit\n");
                in.flush();
                in.close();
            } catch (IOException ignored) {
                // already gone
            }
            waitExit();
        }
    }
}
