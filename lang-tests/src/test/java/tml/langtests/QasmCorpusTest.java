package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tml.backends.qasm.Qasm2Exporter;
import tml.backends.qasm.Qasm2Importer;
import tml.backends.qasm.Qasm3Exporter;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.print.CircuitSource;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.ReferenceSimulator;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * The lang-tests/qasm/ corpus: every circuit survives OpenQASM 2.0 export and import, and TML
 * source (as {@code tmlc import} writes it) and elaboration, with the same unitary; the known
 * algorithms give their known probabilities.
 */
class QasmCorpusTest {
    static final double EPS = 1e-9;

    static ComplexMatrix unitary(Circuit c) { return ReferenceSimulator.unitary(c, ParamBinding.empty(c)); }

    /** The TML that {@code tmlc import} writes, elaborated again by the front end. */
    static Circuit viaTml(Circuit c, String file) {
        String tml = CircuitSource.print(c, "Imported from " + file);
        Frontend fe = new Frontend(List.of());
        fe.loadText(file + ".tml", tml);
        Optional<Decl.Circuit> decl = fe.circuit(Optional.of(c.name()));
        Optional<Circuit> back = decl.flatMap(d -> fe.elaborateCircuit(d, Map.of()));
        assertTrue(!fe.diagnostics().hasErrors() && back.isPresent(), () -> fe.diagnostics().all() + "\n" + tml);
        return back.get();
    }

    @TestFactory
    Stream<DynamicTest> roundTripsPreserveTheUnitary() {
        return QasmCorpus.files().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> roundTrip(f)));
    }

    static void roundTrip(Path f) throws Exception {
        String name = f.getFileName().toString();
        Circuit c = QasmCorpus.load(f);
        ComplexMatrix u = unitary(c);

        String qasm = Qasm2Exporter.export(c);
        Circuit back = Qasm2Importer.parse(qasm, c.name());
        double d1 = u.distanceUpToPhase(unitary(back));
        assertTrue(d1 < EPS, () -> name + ": import, export, import changed the unitary by " + d1 + "\n" + qasm);
        assertEquals(c, back, name + ": export then import gives back the same circuit");

        Circuit elaborated = viaTml(c, name);
        assertEquals(c, elaborated, name + ": import, TML, elaborate gives back the same circuit");
        double d2 = u.distanceUpToPhase(unitary(elaborated));
        assertTrue(d2 < EPS, () -> name + ": import, TML, elaborate changed the unitary by " + d2);
        String again = Qasm2Exporter.export(elaborated);
        double d3 = u.distanceUpToPhase(unitary(Qasm2Importer.parse(again, c.name())));
        assertTrue(d3 < EPS, () -> name + ": import, TML, elaborate, export, import changed the unitary by " + d3 + "\n" + again);
        assertTrue(Qasm3Exporter.export(elaborated).startsWith("OPENQASM 3.0;"));
    }

    static void expect(String file, Map<String, Double> expected) throws Exception {
        Circuit c = QasmCorpus.load(QasmCorpus.DIR.resolve(file));
        try (StatevectorSimulator sim = new StatevectorSimulator(1, Integer.MAX_VALUE)) {
            Map<String, Double> got = sim.distribution(c, ParamBinding.empty(c));
            double total = 0;
            for (var e : expected.entrySet()) {
                double p = got.getOrDefault(e.getKey(), 0.0);
                total += p;
                assertEquals(e.getValue(), p, EPS, file + ": P(" + e.getKey() + ") in " + got);
            }
            if (expected.values().stream().mapToDouble(Double::doubleValue).sum() > 1 - EPS) assertEquals(1, total, EPS, file + ": " + got);
        }
    }

    @Test
    void knownAnswers() throws Exception {
        expect("bell.qasm", Map.of("00", 0.5, "11", 0.5));
        expect("ghz6.qasm", Map.of("000000", 0.5, "111111", 0.5));
        expect("w_state3.qasm", Map.of("001", 1 / 3.0, "010", 1 / 3.0, "100", 1 / 3.0));
        expect("grover3.qasm", Map.of("101", 0.9453125));
        double theta = Math.asin(0.25);
        expect("grover4_ancilla.qasm", Map.of("000110", Math.pow(Math.sin(7 * theta), 2)));
        expect("deutsch_jozsa_balanced.qasm", Map.of("11101", 1.0));
        expect("deutsch_jozsa_constant.qasm", Map.of("10000", 1.0));
        expect("bernstein_vazirani.qasm", Map.of("0101101", 1.0));
        expect("qft_phase_estimation.qasm", Map.of("10101", 1.0));
        expect("adder_cuccaro.qasm", Map.of("1000000010", 0.5, "1001000110", 0.5));
        double overlap = Math.cos(0.6);
        Circuit swap = QasmCorpus.load(QasmCorpus.DIR.resolve("swap_test.qasm"));
        try (StatevectorSimulator sim = new StatevectorSimulator(1, Integer.MAX_VALUE)) {
            double[] p = sim.probabilities(sim.run(swap, ParamBinding.empty(swap)));
            double p0 = 0;
            for (int i = 0; i < p.length; i++) if ((i & 1) == 0) p0 += p[i];
            assertEquals((1 + overlap * overlap) / 2, p0, EPS, "swap test");
        }
        Circuit qft = QasmCorpus.load(QasmCorpus.DIR.resolve("qft4_basis.qasm"));
        try (StatevectorSimulator sim = new StatevectorSimulator(1, Integer.MAX_VALUE)) {
            for (double v : sim.probabilities(sim.run(qft, ParamBinding.empty(qft)))) assertEquals(1 / 16.0, v, EPS, "QFT of a basis state is uniform");
        }
    }
}
