package tml.backends.qasm;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tml.ir.quantum.AngleFormat;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitVerifier;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;

/**
 * OpenQASM 2.0 export. One {@code qreg q}; classical bits as {@link ClassicalRegisters}. Gates use
 * the qelib1.inc names of current Qiskit; {@code ryy} (not in any qelib1) is defined in the file.
 * With {@link Options#originalQelib1} every gate outside the 2017 qelib1.inc is defined too, for
 * tools that only know that library. OpenQASM 2 has no free parameters: angles must be numbers
 * (bind them first).
 */
public final class Qasm2Exporter {
    /** @param originalQelib1 define gates missing from the original qelib1.inc in the file */
    public record Options(boolean originalQelib1) {
        public static final Options DEFAULT = new Options(false);
    }

    private static final Set<GateKind> ORIGINAL = EnumSet.of(GateKind.U3, GateKind.U2, GateKind.U1, GateKind.CX, GateKind.ID,
            GateKind.X, GateKind.Y, GateKind.Z, GateKind.H, GateKind.S, GateKind.SDG, GateKind.T, GateKind.TDG, GateKind.RX,
            GateKind.RY, GateKind.RZ, GateKind.CZ, GateKind.CY, GateKind.CH, GateKind.CCX, GateKind.CRZ, GateKind.CU3);

    private Qasm2Exporter() {}

    public static String export(Circuit c) { return export(c, Options.DEFAULT); }

    /** Binds parameters and inputs, then exports. */
    public static String export(Circuit c, ParamBinding b) { return export(b.bind(c), Options.DEFAULT); }

    public static String export(Circuit c, Options options) {
        CircuitVerifier.check(c);
        ClassicalRegisters regs = new ClassicalRegisters(c);
        StringBuilder sb = new StringBuilder("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
        Set<GateKind> used = EnumSet.noneOf(GateKind.class);
        for (Op op : c.ops()) {
            Op body = op instanceof Op.Conditional k ? k.body() : op;
            if (body instanceof Op.Gate g) {
                if (!g.isNumeric()) throw new QasmExportException("OpenQASM 2 needs numeric angles; bind the parameters of " + c.name() + " first (" + g + ")");
                used.add(g.kind());
            }
        }
        for (GateKind k : GateKind.values())
            if (used.contains(k) && (k == GateKind.RYY || (options.originalQelib1() && !ORIGINAL.contains(k)))) sb.append(definition(k)).append('\n');
        if (c.numQubits() > 0) sb.append("qreg q[").append(c.numQubits()).append("];\n");
        for (ClassicalRegisters.Register r : regs.registers) sb.append("creg ").append(r.name()).append('[').append(r.size()).append("];\n");
        for (Op op : c.ops()) {
            String line = op(op, regs);
            if (!line.isEmpty()) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String op(Op op, ClassicalRegisters regs) {
        return switch (op) {
            case Op.Gate g -> gate(g);
            case Op.Measure m -> "measure q[" + m.qubit() + "] -> " + regs.bit(m.clbit()) + ";";
            case Op.Reset r -> "reset q[" + r.qubit() + "];";
            case Op.Barrier b -> b.qubits().isEmpty() ? "" : "barrier " + qubits(b.qubits()) + ";";
            case Op.Conditional k -> "if(" + regs.conditionRegister(k) + "==" + k.value() + ") " + op(k.body(), regs);
        };
    }

    static String gate(Op.Gate g) {
        String angles = g.angles().isEmpty() ? ""
                : g.angles().stream().map(a -> AngleFormat.constant(a.constant())).collect(Collectors.joining(",", "(", ")"));
        return g.kind().mnemonic() + angles + " " + qubits(g.qubits()) + ";";
    }

    static String qubits(List<Integer> qs) {
        return qs.stream().map(q -> "q[" + q + "]").collect(Collectors.joining(","));
    }

    /** Definitions (in original-qelib1 gates) of the gates Qiskit added; exact up to global phase. */
    static String definition(GateKind k) {
        return switch (k) {
            case P -> "gate p(lambda) a { u1(lambda) a; }";
            case SX -> "gate sx a { sdg a; h a; sdg a; }";
            case SXDG -> "gate sxdg a { s a; h a; s a; }";
            case SWAP -> "gate swap a,b { cx a,b; cx b,a; cx a,b; }";
            case CSWAP -> "gate cswap a,b,c { cx c,b; ccx a,b,c; cx c,b; }";
            case CRX -> "gate crx(lambda) a,b { u1(pi/2) b; cx a,b; u3(-lambda/2,0,0) b; cx a,b; u3(lambda/2,-pi/2,0) b; }";
            case CRY -> "gate cry(lambda) a,b { u3(lambda/2,0,0) b; cx a,b; u3(-lambda/2,0,0) b; cx a,b; }";
            case CP -> "gate cp(lambda) a,b { u1(lambda/2) a; cx a,b; u1(-lambda/2) b; cx a,b; u1(lambda/2) b; }";
            case RXX -> "gate rxx(theta) a,b { h a; h b; cx a,b; rz(theta) b; cx a,b; h a; h b; }";
            case RYY -> "gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }";
            case RZZ -> "gate rzz(theta) a,b { cx a,b; rz(theta) b; cx a,b; }";
            default -> throw new IllegalArgumentException("no definition needed for " + k.mnemonic());
        };
    }
}
