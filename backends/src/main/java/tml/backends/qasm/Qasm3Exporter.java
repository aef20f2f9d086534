package tml.backends.qasm;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import tml.ir.quantum.AngleFormat;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitVerifier;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/**
 * OpenQASM 3.0 export. Parameters become {@code input float[64] name;}, input features
 * {@code input array[float[64], n] x;}, so angles stay symbolic ({@code rz(0.5*theta + pi) q[1];}).
 * Gates outside stdgates.inc (sxdg, rxx, ryy, rzz, cu3) are defined in the file.
 */
public final class Qasm3Exporter {
    private static final Set<GateKind> NOT_STANDARD = EnumSet.of(GateKind.SXDG, GateKind.RXX, GateKind.RYY, GateKind.RZZ, GateKind.CU3);

    private Qasm3Exporter() {}

    public static String export(Circuit c) {
        CircuitVerifier.check(c);
        ClassicalRegisters regs = new ClassicalRegisters(c);
        StringBuilder sb = new StringBuilder("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n");
        Set<GateKind> used = EnumSet.noneOf(GateKind.class);
        for (Op op : c.ops()) if ((op instanceof Op.Conditional k ? k.body() : op) instanceof Op.Gate g) used.add(g.kind());
        for (GateKind k : NOT_STANDARD) if (used.contains(k)) sb.append(definition(k)).append('\n');
        for (String p : c.params()) sb.append("input float[64] ").append(p).append(";\n");
        if (c.numInputs() > 0) sb.append("input array[float[64], ").append(c.numInputs()).append("] x;\n");
        if (c.numQubits() > 0) sb.append("qubit[").append(c.numQubits()).append("] q;\n");
        for (ClassicalRegisters.Register r : regs.registers) sb.append("bit[").append(r.size()).append("] ").append(r.name()).append(";\n");
        for (Op op : c.ops()) {
            String line = op(op, regs);
            if (!line.isEmpty()) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String op(Op op, ClassicalRegisters regs) {
        return switch (op) {
            case Op.Gate g -> {
                String angles = g.angles().isEmpty() ? "" : g.angles().stream().map(AngleFormat::format).collect(Collectors.joining(", ", "(", ")"));
                yield g.kind().mnemonic() + angles + " " + Qasm2Exporter.qubits(g.qubits()).replace(",", ", ") + ";";
            }
            case Op.Measure m -> regs.bit(m.clbit()) + " = measure q[" + m.qubit() + "];";
            case Op.Reset r -> "reset q[" + r.qubit() + "];";
            case Op.Barrier b -> b.qubits().isEmpty() ? "" : "barrier " + Qasm2Exporter.qubits(b.qubits()).replace(",", ", ") + ";";
            case Op.Conditional k -> "if (" + regs.conditionRegister(k) + " == " + k.value() + ") { " + op(k.body(), regs) + " }";
        };
    }

    private static String definition(GateKind k) {
        return switch (k) {
            case SXDG -> "gate sxdg a { s a; h a; s a; }";
            case RXX -> "gate rxx(theta) a, b { h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; }";
            case RYY -> "gate ryy(theta) a, b { rx(pi/2) a; rx(pi/2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; }";
            case RZZ -> "gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }";
            case CU3 -> "gate cu3(theta, phi, lambda) c, t { cu(theta, phi, lambda, 0) c, t; }";
            default -> throw new IllegalArgumentException("stdgates.inc defines " + k.mnemonic());
        };
    }
}
