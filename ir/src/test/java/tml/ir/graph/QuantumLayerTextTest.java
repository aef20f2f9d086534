package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.Quantum;
import tml.ir.graph.gen.RandomGraphs;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitParseException;
import tml.ir.quantum.CircuitParser;

/** The {@code quantum} op (a circuit as a layer): its text round-trips, it types, it rejects circuits a layer cannot run. */
class QuantumLayerTextTest {
    static final Circuit CIRCUIT = parse("""
            circuit qnn qubits 2 clbits 2 inputs 4 params theta, phi, lam {
              h q[0]
              ry(x[0]) q[0]
              rz(0.5*x[1] + pi/4) q[1]
              rx(x[2] - theta) q[0]
              ry(x[3]) q[1]
              u3(theta, phi, lam) q[1]
              crz(2*phi) q[0], q[1]
              cx q[0], q[1]
              barrier q[0], q[1]
              measure q[0] -> c[0]
              measure q[1] -> c[1]
            }
            """);

    static Circuit parse(String text) {
        try {
            return CircuitParser.parse(text);
        } catch (CircuitParseException e) {
            throw new AssertionError(e);
        }
    }

    static final String GRAPH = """
            graph @Hybrid {
              input %x : f32[8,4]
              param @q.weights : f32[3] = uniform(3.141592653589793)
              %q = quantum(%x, @q.weights) {circuit = "circuit qnn qubits 2 clbits 2 inputs 4 params theta, phi, lam { h q[0] ry(x[0]) q[0] rz(0.5*x[1] + pi/4) q[1] rx(x[2] - theta) q[0] ry(x[3]) q[1] u3(theta, phi, lam) q[1] crz(2*phi) q[0], q[1] cx q[0], q[1] barrier q[0], q[1] measure q[0] -> c[0] measure q[1] -> c[1] }"} : f32[8,2]
              output %z = %q
            }
            """;

    @Test
    void printsTheCircuitOnOneLineAndReadsItBack() throws IrParseException {
        Graph g = GraphParser.parse(GRAPH, "hybrid.tir");
        assertEquals(new Quantum(CIRCUIT), g.node("q").orElseThrow().op());
        assertEquals(GRAPH, GraphPrinter.print(g));
        assertEquals(g, GraphParser.parse(GraphPrinter.print(g), "again.tir"));
    }

    @Test
    void typesFeaturesOnTheLastAxis() throws ShapeException {
        Quantum q = new Quantum(CIRCUIT);
        assertEquals(TensorType.f32(2, 5, 2), ShapeRules.infer(q, List.of(TensorType.f32(2, 5, 4), TensorType.f32(3))));
        assertEquals(TensorType.f32(2), ShapeRules.infer(q, List.of(TensorType.f32(4), TensorType.f32(3))));
        assertEquals("quantum: circuit qnn takes 4 input features but the input f32[2,16] has 16",
                assertThrows(ShapeException.class, () -> ShapeRules.infer(q, List.of(TensorType.f32(2, 16), TensorType.f32(3)))).getMessage());
        assertEquals("quantum: circuit qnn has 3 parameters, so its parameter vector must be [3], got f32[4]",
                assertThrows(ShapeException.class, () -> ShapeRules.infer(q, List.of(TensorType.f32(2, 4), TensorType.f32(4)))).getMessage());
        assertEquals("quantum takes 2 operands, got 1",
                assertThrows(ShapeException.class, () -> ShapeRules.infer(q, List.of(TensorType.f32(2, 4)))).getMessage());
        assertEquals(0, OpCost.macs(q, List.of(TensorType.f32(2, 4), TensorType.f32(3)), TensorType.f32(2, 2)));
    }

    @Test
    void rejectsCircuitsThatAreNotUnitaryUpToTerminalMeasurements() {
        assertNull(ShapeRules.quantumLayerProblem(CIRCUIT));
        assertTrue(ShapeRules.quantumLayerProblem(parse("circuit c qubits 1 { reset q[0] }")).startsWith("resets q[0]"));
        assertTrue(ShapeRules.quantumLayerProblem(parse("circuit c qubits 1 clbits 1 { measure q[0] -> c[0] h q[0] }"))
                .startsWith("applies h to q[0] after measuring it"));
        assertTrue(ShapeRules.quantumLayerProblem(parse("circuit c qubits 2 clbits 1 { measure q[0] -> c[0] if (c[0:1] == 1) x q[1] }"))
                .startsWith("has a run-time condition"));
        assertTrue(ShapeRules.quantumLayerProblem(parse("circuit c qubits 1 clbits 1 { measure q[0] -> c[0] measure q[0] -> c[0] }"))
                .startsWith("measures q[0] into c[0] after"));
        assertEquals("has no qubits", ShapeRules.quantumLayerProblem(parse("circuit c qubits 0 { }")));
        Circuit bad = new Circuit("c", 1, 0, ImmutableList.of(), 0, ImmutableList.of(tml.ir.quantum.Op.Gate.of(tml.ir.quantum.GateKind.H, 3)));
        assertTrue(ShapeRules.quantumLayerProblem(bad).startsWith("is not valid: op 0: qubit 3 out of range"));
    }

    @Test
    void aMalformedCircuitIsAParseErrorAtTheOp() {
        String text = GRAPH.replace("params theta, phi, lam {", "params theta, phi, lam { bogus q[0]");
        IrParseException e = assertThrows(IrParseException.class, () -> GraphParser.parse(text, "bad.tir"));
        assertTrue(e.getMessage().startsWith("bad.tir:4:8: error: quantum: attribute 'circuit': 1:"), e.getMessage());
        String notString = GRAPH.replaceFirst("circuit = \"[^\"]*\"", "circuit = 3");
        IrParseException e2 = assertThrows(IrParseException.class, () -> GraphParser.parse(notString, "bad.tir"));
        assertTrue(e2.getMessage().contains("attribute 'circuit' of quantum must be a quoted string, found '3'"), e2.getMessage());
        String badOperand = GRAPH.replace("f32[8,4]", "f32[8,5]");
        IrParseException e3 = assertThrows(IrParseException.class, () -> GraphParser.parse(badOperand, "bad.tir"));
        assertTrue(e3.getMessage().contains("quantum: circuit qnn takes 4 input features but the input f32[8,5] has 5"), e3.getMessage());
    }

    @Test
    void randomGraphsWithQuantumLayersVerifyAndRoundTrip() throws IrParseException {
        int withQuantum = 0;
        for (long seed = 0; seed < 200; seed++) {
            Graph g = RandomGraphs.random(seed, RandomGraphs.Options.defaults().withQuantumLayers(true));
            if (g.nodes().stream().anyMatch(n -> n.op() instanceof Quantum)) withQuantum++;
            assertEquals(g, GraphParser.parse(GraphPrinter.print(g), "random.tir"));
        }
        assertTrue(withQuantum >= 40, "only " + withQuantum + " of 200 graphs have a quantum layer");
        // Without the option, a seed gives the same graph as before quantum layers existed: none.
        for (long seed = 0; seed < 50; seed++) {
            assertTrue(RandomGraphs.random(seed).nodes().stream().noneMatch(n -> n.op() instanceof Quantum));
        }
    }
}
