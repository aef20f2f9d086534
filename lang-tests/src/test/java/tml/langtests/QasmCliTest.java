package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.backends.qasm.Qasm2Importer;
import tml.frontend.Frontend;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.ReferenceSimulator;
import tml.runtime.Tensor;
import tml.runtime.io.SafeTensors;

/** {@code tmlc import}, {@code tmlc build --emit qasm2|qasm3}, and -O for circuits in run and ir. */
class QasmCliTest {
    @TempDir Path tmp;

    static final String ANSATZ = """
            circuit ansatz() {
              qubits q[3]
              param theta: f32[3]
              h(q[0])
              h(q[0])
              for i in 0..3 { ry(theta[i], q[i]) }
              cx(q[0], q[2])
              crz(0.5 * theta[1] + pi / 4, q[2], q[1])
              cx(q[1], q[2])
              rz(theta[0], q[1])
              rz(-theta[0], q[1])
            }
            device line3 {
              qubits = 3
              coupling = [(0, 1), (1, 2)]
              error_1q = 0.001
              error_2q = 0.01
              readout_error = 0.02
            }
            """;
    static final float[] THETA = {0.3f, -1.25f, 2.5f};

    @BeforeAll
    static void home() { System.setProperty("tml.home", Path.of("").toAbsolutePath().getParent().toString()); }

    static LangTest.Result tmlc(String... args) { return LangTest.tmlc(List.of(args)); }

    Path ansatz() throws Exception {
        Path f = tmp.resolve("ansatz.tml");
        Files.writeString(f, ANSATZ);
        return f;
    }

    Path weights() {
        Path w = tmp.resolve("w.safetensors");
        SafeTensors.write(Map.of("theta", Tensor.vector(THETA)), w);
        return w;
    }

    /** The ansatz elaborated by the front end and bound to THETA (as floats, like the weights file). */
    static Circuit boundAnsatz(Path file) {
        Frontend fe = new Frontend(List.of());
        fe.load(file);
        Circuit c = fe.elaborateCircuit(fe.circuit(Optional.empty()).orElseThrow(), Map.of()).orElseThrow();
        double[] v = new double[THETA.length];
        for (int i = 0; i < v.length; i++) v[i] = THETA[i];
        return ParamBinding.of(c, v, new double[0]).bind(c);
    }

    static double distance(Circuit a, Circuit b) {
        return ReferenceSimulator.unitary(a, ParamBinding.empty(a)).distanceUpToPhase(ReferenceSimulator.unitary(b, ParamBinding.empty(b)));
    }

    @Test
    void importWritesTmlThatRunsLikeTheQasm() throws Exception {
        Path qasm = QasmCorpus.DIR.resolve("grover3.qasm");
        Path out = tmp.resolve("grover3.tml");
        LangTest.Result r = tmlc("import", qasm.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String tml = Files.readString(out);
        assertTrue(tml.startsWith("/// Imported from grover3.qasm\ncircuit grover3() {\n"), tml);

        Frontend fe = new Frontend(List.of());
        fe.load(out);
        Circuit elaborated = fe.elaborateCircuit(fe.circuit(Optional.empty()).orElseThrow(), Map.of()).orElseThrow();
        Circuit direct = Qasm2Importer.parse(Files.readString(qasm), "grover3");
        assertEquals(direct, elaborated);
        assertTrue(distance(direct, elaborated) < 1e-12);

        LangTest.Result run = tmlc("run", out.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        JsonObject p = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonObject("probabilities");
        assertEquals(0.9453125, p.get("101").getAsDouble(), 1e-12);

        LangTest.Result toStdout = tmlc("import", qasm.toString());
        assertEquals(0, toStdout.exit(), toStdout.err());
        assertEquals(tml, toStdout.out());
    }

    @Test
    void malformedQasmIsReportedAtItsLineAndColumn() throws Exception {
        Path bad = tmp.resolve("bad.qasm");
        Files.writeString(bad, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q[0], q[3];\n");
        Path out = tmp.resolve("bad.tml");
        LangTest.Result r = tmlc("import", bad.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(bad + ":4:12: error: index 3 out of range for q[2]\n"), r.err());
        assertTrue(r.err().contains("\n  cx q[0], q[3];\n             ^\n"), r.err());
        assertFalse(Files.exists(out));

        Files.writeString(bad, "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n");
        r = tmlc("import", bad.toString(), "--diagnostic-format=json");
        assertEquals(1, r.exit());
        JsonObject d = JsonParser.parseString(r.err().strip()).getAsJsonObject();
        assertEquals(3, d.get("line").getAsInt());
        assertEquals(1, d.get("column").getAsInt());

        r = tmlc("import", tmp.resolve("missing.qasm").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("missing.qasm: error: cannot read file"), r.err());
    }

    @Test
    void qasm2NeedsBoundParameters() throws Exception {
        Path out = tmp.resolve("a.qasm");
        LangTest.Result r = tmlc("build", ansatz().toString(), "--emit", "qasm2", "-o", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unbound parameters theta_0, theta_1, theta_2"), r.err());
        assertTrue(r.err().contains("--weights"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void qasm2WithWeightsHasTheCircuitsUnitary() throws Exception {
        Path out = tmp.resolve("a.qasm");
        for (String level : List.of("-O0", "-O1", "-O2", "-O3")) {
            LangTest.Result r = tmlc("build", ansatz().toString(), "--weights", weights().toString(), level, "--emit", "qasm2", "-o", out.toString());
            assertEquals(0, r.exit(), r.err());
            Circuit exported = Qasm2Importer.parse(Files.readString(out));
            assertTrue(distance(boundAnsatz(ansatz()), exported) < 1e-9, level + ":\n" + Files.readString(out));
            if (!level.equals("-O0")) assertTrue(exported.ops().size() < boundAnsatz(ansatz()).ops().size(), level);
        }
    }

    @Test
    void qasm3KeepsParametersAsInputs() throws Exception {
        LangTest.Result r = tmlc("build", ansatz().toString(), "--emit", "qasm3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("OPENQASM 3.0;\n"), r.out());
        for (int i = 0; i < 3; i++) assertTrue(r.out().contains("input float[64] theta_" + i + ";"), r.out());
        assertTrue(r.out().contains("crz(0.5*theta_1 + pi/4) q[2], q[1];"), r.out());

        LangTest.Result bound = tmlc("build", ansatz().toString(), "--emit", "qasm3", "--weights", weights().toString());
        assertEquals(0, bound.exit(), bound.err());
        assertFalse(bound.out().contains("input"), bound.out());
    }

    @Test
    void deviceRoutingRespectsTheCouplingMap() throws Exception {
        Path out = tmp.resolve("routed.qasm");
        LangTest.Result r = tmlc("build", ansatz().toString(), "--weights", weights().toString(), "-O2", "--device", "line3",
                "--emit", "qasm2", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(out);
        assertTrue(text.contains("// routed onto device line3 (3 qubits)"), text);
        Circuit routed = Qasm2Importer.parse(text);
        Device line = Device.line(3);
        for (Op.Gate g : routed.gates()) {
            if (g.qubits().size() == 2) assertTrue(line.coupled(g.qubits().get(0), g.qubits().get(1)), g + " in\n" + text);
        }
        LangTest.Result ir = tmlc("ir", ansatz().toString(), "-O2", "--device", "line3");
        assertEquals(0, ir.exit(), ir.err());
        LangTest.Result unknown = tmlc("build", ansatz().toString(), "--emit", "qasm3", "--device", "lima");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no device named 'lima'"), unknown.err());
    }

    @Test
    void optimizationLevelsInRunAndIr() throws Exception {
        String file = ansatz().toString();
        LangTest.Result o0 = tmlc("ir", file), o2 = tmlc("ir", file, "-O2");
        assertEquals(0, o0.exit(), o0.err());
        assertEquals(0, o2.exit(), o2.err());
        assertTrue(o0.out().contains("  h q[0]\n  h q[0]\n"), o0.out());
        assertFalse(o2.out().contains("h q[0]"), o2.out());
        assertTrue(o2.out().lines().count() < o0.out().lines().count());

        JsonObject p0 = probabilities(tmlc("run", file, "--weights", weights().toString(), "--json"));
        JsonObject p3 = probabilities(tmlc("run", file, "--weights", weights().toString(), "-O3", "--json"));
        assertEquals(p0.keySet(), p3.keySet());
        for (String k : p0.keySet()) assertEquals(p0.get(k).getAsDouble(), p3.get(k).getAsDouble(), 1e-9, k);

        LangTest.Result passes = tmlc("ir", file, "--passes=fold-constants");
        assertEquals(2, passes.exit());
        assertTrue(passes.err().contains("circuits take -O0..-O3"), passes.err());
    }

    static JsonObject probabilities(LangTest.Result r) {
        assertEquals(0, r.exit(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("probabilities");
    }

    @Test
    void outputIsWrittenAtomically() throws Exception {
        LangTest.Result r = tmlc("build", ansatz().toString(), "--emit", "qasm3", "-o", tmp.resolve("no/such/dir/a.qasm").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot write"), r.err());
        Path out = tmp.resolve("a.qasm");
        Files.writeString(out, "old");
        assertEquals(0, tmlc("build", ansatz().toString(), "--emit", "qasm3", "-o", out.toString()).exit());
        assertTrue(Files.readString(out, StandardCharsets.UTF_8).startsWith("OPENQASM 3.0;"));
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
