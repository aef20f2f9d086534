package tml.frontend.print;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;
import tml.ir.quantum.Symbol;
import tml.ir.quantum.Term;

/**
 * Prints a quantum-IR circuit as a TML {@code circuit} declaration (what {@code tmlc import} writes).
 * Angles keep full double precision, so elaborating the source gives back the same circuit.
 */
public final class CircuitSource {
    private CircuitSource() {}

    public static String print(Circuit c, String doc) {
        StringBuilder sb = new StringBuilder();
        for (String line : doc.split("\n")) sb.append("/// ").append(line).append('\n');
        sb.append("circuit ").append(identifier(c.name())).append("() {\n");
        sb.append("  qubits q[").append(c.numQubits()).append("]\n");
        List<int[]> registers = registers(c);
        for (int i = 0; i < registers.size(); i++) {
            sb.append("  bits ").append(registerName(i, registers.size())).append('[').append(registers.get(i)[1]).append("]\n");
        }
        if (c.numInputs() > 0) sb.append("  input x: f32[").append(c.numInputs()).append("]\n");
        for (String p : c.params()) sb.append("  param ").append(p).append(": float\n");
        for (Op op : c.ops()) sb.append("  ").append(op(op, registers)).append('\n');
        sb.append("}\n");
        return sb.toString();
    }

    /** Classical registers as (first bit, width): cut at every conditional's range, so each condition names one register. */
    static List<int[]> registers(Circuit c) {
        TreeSet<Integer> cuts = new TreeSet<>();
        cuts.add(0);
        cuts.add(c.numClbits());
        for (Op op : c.ops()) {
            if (op instanceof Op.Conditional k) {
                cuts.add(k.firstClbit());
                cuts.add(k.firstClbit() + k.width());
            }
        }
        List<int[]> regs = new ArrayList<>();
        Integer prev = null;
        for (int cut : cuts) {
            if (prev != null && cut > prev) regs.add(new int[] {prev, cut - prev});
            prev = cut;
        }
        return c.numClbits() == 0 ? List.of() : regs;
    }

    private static String registerName(int i, int count) { return count == 1 ? "c" : "c" + i; }

    private static String clbit(int bit, List<int[]> regs) {
        for (int i = 0; i < regs.size(); i++) {
            int[] r = regs.get(i);
            if (bit >= r[0] && bit < r[0] + r[1]) return registerName(i, regs.size()) + "[" + (bit - r[0]) + "]";
        }
        throw new IllegalArgumentException("classical bit " + bit + " outside the registers");
    }

    private static String op(Op op, List<int[]> regs) {
        return switch (op) {
            case Op.Gate g -> {
                List<String> args = new ArrayList<>();
                for (Angle a : g.angles()) args.add(angle(a));
                for (int q : g.qubits()) args.add("q[" + q + "]");
                yield g.kind().mnemonic() + "(" + String.join(", ", args) + ")";
            }
            case Op.Measure m -> "measure(q[" + m.qubit() + "], " + clbit(m.clbit(), regs) + ")";
            case Op.Reset r -> "reset(q[" + r.qubit() + "])";
            case Op.Barrier b -> "barrier(" + String.join(", ", b.qubits().stream().map(q -> "q[" + q + "]").toList()) + ")";
            case Op.Conditional k -> {
                int reg = -1;
                for (int i = 0; i < regs.size(); i++) if (regs.get(i)[0] == k.firstClbit() && regs.get(i)[1] == k.width()) reg = i;
                yield "if " + registerName(reg, regs.size()) + " == " + k.value() + " { " + op(k.body(), regs) + " }";
            }
        };
    }

    /** An angle as a TML expression: {@code 0.5 * theta + x[3] + 1.5707963267948966}. */
    static String angle(Angle a) {
        List<String> parts = new ArrayList<>();
        for (Term t : a.terms()) {
            String sym = switch (t.symbol()) {
                case Symbol.Param p -> p.name();
                case Symbol.Input in -> "x[" + in.index() + "]";
            };
            parts.add(t.coeff() == 1 ? sym : number(t.coeff()) + " * " + sym);
        }
        if (a.constant() != 0 || parts.isEmpty()) parts.add(number(a.constant()));
        return String.join(" + ", parts);
    }

    private static String number(double v) {
        if (v == Math.PI) return "pi";
        if (v == -Math.PI) return "-pi";
        String s = Double.toString(v); // TML reads this form back exactly, exponents included
        return v < 0 ? "(" + s + ")" : s;
    }

    /** A TML identifier for a circuit name (file names may have dashes, dots, leading digits). */
    public static String identifier(String name) {
        String id = name.replaceAll("[^A-Za-z0-9_]", "_");
        if (id.isEmpty() || !Character.isLetter(id.charAt(0))) id = "c_" + id;
        return id;
    }
}
