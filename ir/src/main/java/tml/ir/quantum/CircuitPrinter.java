package tml.ir.quantum;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The textual form of a circuit; {@link CircuitParser} reads it back to an equal circuit.
 *
 * <pre>
 * circuit qnn qubits 2 clbits 2 inputs 4 params theta, phi {
 *   rx(x[0]) q[0]
 *   rz(0.5*theta + pi) q[1]
 *   cx q[0], q[1]
 *   barrier q[0], q[1]
 *   measure q[0] -> c[0]
 *   if (c[0:1] == 1) x q[1]
 *   reset q[0]
 * }
 * </pre>
 */
public final class CircuitPrinter {
    private CircuitPrinter() {}

    public static String print(Circuit c) {
        StringBuilder sb = new StringBuilder();
        sb.append("circuit ").append(c.name()).append(" qubits ").append(c.numQubits());
        if (c.numClbits() > 0) sb.append(" clbits ").append(c.numClbits());
        if (c.numInputs() > 0) sb.append(" inputs ").append(c.numInputs());
        if (!c.params().isEmpty()) sb.append(" params ").append(String.join(", ", c.params()));
        sb.append(" {\n");
        for (Op op : c.ops()) sb.append("  ").append(op(op)).append('\n');
        return sb.append("}\n").toString();
    }

    /** One op, without indentation or newline. */
    public static String op(Op op) {
        return switch (op) {
            case Op.Gate g -> {
                String angles = g.angles().isEmpty() ? ""
                        : g.angles().stream().map(AngleFormat::format).collect(Collectors.joining(", ", "(", ")"));
                yield g.kind().mnemonic() + angles + qubits(g.qubits(), " ");
            }
            case Op.Measure m -> "measure q[" + m.qubit() + "] -> c[" + m.clbit() + "]";
            case Op.Reset r -> "reset q[" + r.qubit() + "]";
            case Op.Barrier b -> "barrier" + qubits(b.qubits(), " ");
            case Op.Conditional k -> "if (c[" + k.firstClbit() + ":" + (k.firstClbit() + k.width()) + "] == " + k.value() + ") " + op(k.body());
        };
    }

    private static String qubits(List<Integer> qs, String lead) {
        if (qs.isEmpty()) return "";
        return qs.stream().map(q -> "q[" + q + "]").collect(Collectors.joining(", ", lead, ""));
    }
}
