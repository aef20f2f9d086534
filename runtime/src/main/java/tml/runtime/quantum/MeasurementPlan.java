package tml.runtime.quantum;

import tml.ir.quantum.Circuit;
import tml.ir.quantum.Op;

/**
 * Which measurements of a circuit are terminal: nothing later touches the measured qubit or the
 * written classical bit (barriers aside). Terminal measurements are deferred to the end (read
 * from the final state's distribution); the rest, resets and conditions make the run branch.
 */
record MeasurementPlan(boolean[] deferred, boolean branching, boolean hasMeasurements) {

    static MeasurementPlan of(Circuit c) {
        int n = c.ops().size();
        boolean[] deferred = new boolean[n];
        boolean branching = false, hasMeasurements = false;
        for (int i = 0; i < n; i++) {
            Op op = c.ops().get(i);
            if (op instanceof Op.Measure m) {
                hasMeasurements = true;
                deferred[i] = isTerminal(c, i, m);
                if (!deferred[i]) branching = true;
            } else if (op instanceof Op.Reset || op instanceof Op.Conditional) {
                branching = true;
                if (op instanceof Op.Conditional k && k.body() instanceof Op.Measure) hasMeasurements = true;
            }
        }
        return new MeasurementPlan(deferred, branching, hasMeasurements);
    }

    private static boolean isTerminal(Circuit c, int at, Op.Measure m) {
        for (int j = at + 1; j < c.ops().size(); j++) {
            Op later = c.ops().get(j);
            if (later instanceof Op.Barrier) continue;
            if (later.qubits().contains(m.qubit())) return false;
            if (later instanceof Op.Measure lm && lm.clbit() == m.clbit()) return false;
            if (later instanceof Op.Conditional k) {
                if (m.clbit() >= k.firstClbit() && m.clbit() < k.firstClbit() + k.width()) return false;
                if (k.body() instanceof Op.Measure km && km.clbit() == m.clbit()) return false;
            }
        }
        return true;
    }
}
