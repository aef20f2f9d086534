package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;

/**
 * Replaces each run of two or more consecutive single-qubit gates with numeric angles on one wire
 * by a single u3 (dropped when the product is the identity up to global phase within 1e-12).
 * Gates with symbolic angles end a run.
 */
public final class FuseSingleQubitGates implements CircuitPass {
    private static final double IDENTITY_TOL = 1e-12;

    @Override public String name() { return "fuse-1q"; }

    @Override public Circuit run(Circuit c) {
        List<Op> out = new ArrayList<>(c.ops());
        List<List<Integer>> runs = new ArrayList<>();
        for (int q = 0; q < c.numQubits(); q++) runs.add(new ArrayList<>());
        for (int i = 0; i < out.size(); i++) {
            Op op = out.get(i);
            if (op instanceof Op.Gate g && g.kind().numQubits() == 1 && g.isNumeric()) {
                runs.get(g.qubits().get(0)).add(i);
            } else {
                for (int q : op.qubits()) flush(out, runs.get(q));
            }
        }
        for (List<Integer> run : runs) flush(out, run);
        return c.withOps(out.stream().filter(o -> o != null).collect(ImmutableList.toImmutableList()));
    }

    private static void flush(List<Op> out, List<Integer> run) {
        if (run.size() >= 2) {
            int q = out.get(run.get(0)).qubits().get(0);
            ComplexMatrix u = ComplexMatrix.identity(2);
            for (int i : run) {
                Op.Gate g = (Op.Gate) out.get(i);
                u = Gates.matrix(g.kind(), g.angles().stream().mapToDouble(Angle::constant).toArray()).times(u);
                out.set(i, null);
            }
            if (u.distanceUpToPhase(ComplexMatrix.identity(2)) > IDENTITY_TOL) {
                double[] a = U3Synthesis.angles(u);
                out.set(run.get(run.size() - 1), Op.Gate.of(GateKind.U3, ImmutableList.of(Angle.of(a[0]), Angle.of(a[1]), Angle.of(a[2])), q));
            }
        }
        run.clear();
    }
}
