package tml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.Quantum;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitParseException;
import tml.ir.quantum.CircuitParser;
import tml.ir.quantum.GateKind;

/** The interpreter's {@code quantum} kernel: ⟨Z⟩ of each qubit per row of features, known answers. */
class QuantumLayerTest {
    static Circuit parse(String text) {
        try {
            return CircuitParser.parse(text);
        } catch (CircuitParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test void zExpectationsOfKnownStates() {
        // rx(x0) then cx: <Z0> = <Z1> = cos(x0); ry(t) on qubit 2: <Z2> = cos(t + x1)
        Circuit c = parse("circuit c qubits 3 clbits 3 inputs 2 params t { rx(x[0]) q[0] cx q[0], q[1] ry(t + x[1]) q[2] measure q[0] -> c[0] }");
        Tensor x = Tensor.of(List.of(2, 2), 0.3f, 0.0f, 1.7f, -0.4f);
        Tensor y = OpTesting.apply(new Quantum(c), x, Tensor.vector(0.5f));
        assertEquals(List.of(2, 3), y.shape());
        float[] want = {(float) Math.cos(0.3f), (float) Math.cos(0.3f), (float) Math.cos(0.5f),
            (float) Math.cos(1.7f), (float) Math.cos(1.7f), (float) Math.cos(0.5f - 0.4f)};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y.data()[i], 1e-6f, "element " + i);
    }

    @Test void aBellStateHasZeroZExpectations() {
        Circuit bell = parse("circuit bell qubits 2 { h q[0] cx q[0], q[1] }");
        Tensor y = OpTesting.apply(new Quantum(bell), Tensor.zeros(3, 0), Tensor.zeros(0));
        assertEquals(List.of(3, 2), y.shape());
        for (float v : y.data()) assertEquals(0f, v, 1e-7f);
    }

    @Test void manyRowsGiveTheSameValuesAsOneByOne() {
        Circuit c = parse("circuit c qubits 2 inputs 2 params a, b { ry(x[0]) q[0] ry(x[1]) q[1] crx(a) q[0], q[1] rzz(b) q[0], q[1] ry(a - x[0]) q[1] }");
        Tensor x = Tensor.zeros(64, 2);
        for (int i = 0; i < x.numel(); i++) x.data()[i] = (float) Math.sin(i);
        Tensor w = Tensor.vector(0.7f, -1.3f);
        Tensor all = OpTesting.apply(new Quantum(c), x, w);
        for (int r = 0; r < 64; r++) {
            Tensor one = OpTesting.apply(new Quantum(c), Tensor.of(List.of(1, 2), x.data()[2 * r], x.data()[2 * r + 1]), w);
            assertEquals(one.data()[0], all.data()[2 * r]);
            assertEquals(one.data()[1], all.data()[2 * r + 1]);
        }
    }

    @Test void tooManyQubitsForALayerIsAClearError() {
        Circuit big = new Circuit("big", 21, 0, ImmutableList.of(), 0, ImmutableList.of(tml.ir.quantum.Op.Gate.of(GateKind.H, 20)));
        TmlRuntimeException e = assertThrows(TmlRuntimeException.class, () -> OpTesting.apply(new Quantum(big), Tensor.zeros(1, 0), Tensor.zeros(0)));
        assertTrue(e.getMessage().contains("a quantum layer simulates at most 20"), e.getMessage());
    }
}
