package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ParamBinding;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * Cross-check against an independent simulator: every OpenQASM 2.0 circuit under lang-tests/qasm/
 * is simulated by TML (import, statevector) and by the npm package {@code quantum-circuit}
 * (scripts/qc_crosscheck.mjs, installed with npm into lang-tests/target on first use); the
 * probabilities of every basis state must agree within 1e-9. Node and npm are required (.ci/run
 * installs them): without them the test fails.
 */
class QasmCrossCheckTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final String PACKAGE = "quantum-circuit";
    static final String VERSION = "0.9.250";
    static final Path CACHE = REPO.resolve("lang-tests/target/quantum-circuit-" + VERSION);
    static final double TOLERANCE = 1e-9;
    static final int MIN_CIRCUITS = 24;

    record Run(int exit, String out, String err) {}

    static Run exec(List<String> cmd, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("qc-out", ".txt"), err = Files.createTempFile("qc-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Fails clearly when a tool is missing. */
    static void require(String tool) throws InterruptedException {
        try {
            Run r = exec(List.of(tool, "--version"), REPO, 60);
            if (r.exit() != 0) fail("'" + tool + " --version' failed (exit " + r.exit() + "): " + r.err());
        } catch (IOException e) {
            fail("the cross-check with the npm package " + PACKAGE + " needs '" + tool + "' on the PATH (Debian: apt-get install nodejs npm; .ci/run installs them): " + e.getMessage());
        }
    }

    /** quantum-circuit@VERSION under lang-tests/target, installed with npm when missing. */
    static Path installQuantumCircuit() throws IOException, InterruptedException {
        Path installed = CACHE.resolve("node_modules/" + PACKAGE + "/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) return CACHE;
        require("npm");
        Files.createDirectories(CACHE);
        Files.writeString(CACHE.resolve("package.json"), """
                {"name": "tml-qasm-crosscheck", "private": true, "dependencies": {"%s": "%s"}}
                """.formatted(PACKAGE, VERSION));
        Run r = exec(List.of("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"), CACHE, 600);
        if (r.exit() != 0 || !Files.exists(installed)) {
            fail("npm install " + PACKAGE + "@" + VERSION + " failed (exit " + r.exit() + "):\n" + r.out() + r.err());
        }
        return CACHE;
    }

    /** quantum-circuit's probabilities per file name. */
    static JsonObject independent(List<Path> files) throws IOException, InterruptedException {
        require("node");
        Path modules = installQuantumCircuit();
        List<String> cmd = new ArrayList<>(List.of("node", REPO.resolve("scripts/qc_crosscheck.mjs").toString(), "--modules", modules.toString()));
        files.forEach(f -> cmd.add(f.toString()));
        Run r = exec(cmd, REPO, 600);
        if (r.exit() != 0) fail("scripts/qc_crosscheck.mjs failed (exit " + r.exit() + "):\n" + r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test
    void probabilitiesAgreeWithQuantumCircuit() throws Exception {
        List<Path> files = QasmCorpus.files();
        assertTrue(files.size() >= MIN_CIRCUITS, "need at least " + MIN_CIRCUITS + " circuits in " + QasmCorpus.DIR + ", found " + files.size());
        JsonObject theirs = independent(files);
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstFile = "";
        StringBuilder report = new StringBuilder();
        try (StatevectorSimulator sim = new StatevectorSimulator(1, Integer.MAX_VALUE)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Circuit c = QasmCorpus.load(f);
                JsonObject r = theirs.getAsJsonObject(name);
                if (r == null || r.has("error")) {
                    failures.add(name + ": quantum-circuit gave no result: " + (r == null ? "missing" : r.get("error").getAsString()));
                    continue;
                }
                assertEquals(c.numQubits(), r.get("qubits").getAsInt(), name + ": qubit count");
                double[] ours = sim.probabilities(sim.run(c, ParamBinding.empty(c)));
                double[] other = new double[ours.length];
                for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("probabilities").entrySet()) {
                    other[Integer.parseInt(e.getKey(), 2)] += e.getValue().getAsDouble();
                }
                double diff = 0;
                int at = 0;
                for (int i = 0; i < ours.length; i++) {
                    double d = Math.abs(ours[i] - other[i]);
                    if (d > diff) { diff = d; at = i; }
                }
                report.append(String.format(Locale.ROOT, "  %-34s %2d qubits %4d ops  max |dp| %.2e%n", name, c.numQubits(), c.ops().size(), diff));
                if (diff > worst) { worst = diff; worstFile = name; }
                if (!(diff <= TOLERANCE)) {
                    failures.add(String.format(Locale.ROOT, "%s: probability of %s differs by %.3e (TML %.12f, quantum-circuit %.12f)", name,
                            tml.runtime.quantum.Bitstrings.of(at, c.numQubits()), diff, ours[at], other[at]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "quantum-circuit %s cross-check: %d circuits, max difference %.2e (%s)%n%s", VERSION, files.size(), worst, worstFile, report);
        if (!failures.isEmpty()) fail(failures.size() + " of " + files.size() + " circuits disagree with quantum-circuit:\n" + String.join("\n", failures));
    }
}
