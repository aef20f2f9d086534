package tml.cli;

import java.util.List;
import tml.ir.quantum.Device;
import tml.optimizer.quantum.RoutingResult;

/** Comments that record a routing in emitted OpenQASM: the device, the swaps and both layouts. */
final class RoutingComments {
    private RoutingComments() {}

    /** Inserts the comments after the version line of an OpenQASM program. */
    static String insert(String qasm, Device device, RoutingResult r) {
        String comments = "// routed onto device " + device.name() + " (" + device.numQubits() + " qubits) with " + r.swaps() + " swap(s)\n"
                + "// initial layout, logical -> physical: " + layout(r.initialLayout()) + "\n"
                + "// final layout, logical -> physical: " + layout(r.finalLayout()) + "\n";
        int eol = qasm.indexOf('\n');
        return eol < 0 ? qasm + "\n" + comments : qasm.substring(0, eol + 1) + comments + qasm.substring(eol + 1);
    }

    private static String layout(List<Integer> l) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : ", ").append(i).append("->").append(l.get(i));
        return sb.toString();
    }
}
