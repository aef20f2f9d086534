package tml.backends.qasm;

import com.google.common.collect.ImmutableList;
import java.util.TreeSet;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * Classical registers for export. OpenQASM conditions compare a whole register, so the flat
 * classical bits are cut into registers at the edges of every condition's bit range: a single
 * register {@code c} when no condition needs a cut, else {@code c0, c1, …}.
 */
final class ClassicalRegisters {
    record Register(String name, int first, int size) {}

    final ImmutableList<Register> registers;

    ClassicalRegisters(Circuit c) {
        TreeSet<Integer> cuts = new TreeSet<>();
        cuts.add(0);
        cuts.add(c.numClbits());
        for (Op op : c.ops())
            if (op instanceof Op.Conditional k) {
                cuts.add(k.firstClbit());
                cuts.add(k.firstClbit() + k.width());
            }
        for (Op op : c.ops())
            if (op instanceof Op.Conditional k) {
                Integer inside = cuts.higher(k.firstClbit());
                if (inside != null && inside < k.firstClbit() + k.width())
                    throw new QasmExportException("conditions on overlapping classical bit ranges cannot be written as OpenQASM registers (c["
                            + k.firstClbit() + ":" + (k.firstClbit() + k.width()) + "] is cut at " + inside + ")");
            }
        ImmutableList.Builder<Register> b = ImmutableList.builder();
        Integer[] edges = cuts.toArray(new Integer[0]);
        for (int i = 0; i + 1 < edges.length; i++)
            b.add(new Register(edges.length == 2 ? "c" : "c" + i, edges[i], edges[i + 1] - edges[i]));
        registers = b.build();
    }

    Register registerAt(int clbit) {
        for (Register r : registers) if (clbit >= r.first() && clbit < r.first() + r.size()) return r;
        throw new IllegalArgumentException("no register holds classical bit " + clbit);
    }

    /** {@code c0[2]} for a flat bit. */
    String bit(int clbit) {
        Register r = registerAt(clbit);
        return r.name() + "[" + (clbit - r.first()) + "]";
    }

    /** The register a condition compares. */
    String conditionRegister(Op.Conditional k) { return registerAt(k.firstClbit()).name(); }
}
