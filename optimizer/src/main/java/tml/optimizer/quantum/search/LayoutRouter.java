package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.optimizer.quantum.DecomposeThreeQubitGates;
import tml.optimizer.quantum.RoutingResult;

/**
 * Routes a circuit onto a device from a given initial layout (the qubit mapping a search
 * chose), honouring the coupling map: a two-qubit gate on uncoupled qubits first moves one of
 * its qubits along a shortest path with swaps, each swap written as three CNOTs (what the
 * hardware runs, so gate counts and noise are the real ones). Of the possible next swaps the one
 * that leaves the following {@link #LOOKAHEAD} two-qubit gates closest wins; ties go to the lower
 * qubit numbers, so routing is deterministic. Three-qubit gates are decomposed first.
 */
public final class LayoutRouter {
    /** Two-qubit gates considered when choosing a swap. */
    public static final int LOOKAHEAD = 8;

    private final Device device;
    private final int[][] dist;
    private final int[][] neighbors;

    public LayoutRouter(Device device) {
        this.device = device;
        this.dist = device.distances();
        this.neighbors = device.neighbors();
    }

    public Device device() { return device; }

    /** @param layout physical qubit of each logical qubit (distinct, below the device's qubit count) */
    public RoutingResult route(Circuit input, List<Integer> layout) {
        Circuit c = new DecomposeThreeQubitGates().run(input);
        int n = c.numQubits(), phys = device.numQubits();
        if (layout.size() != n) throw new IllegalArgumentException("a layout for " + n + " qubits has " + layout.size() + " entries");
        int[] l2p = new int[n];
        int[] p2l = new int[phys];
        Arrays.fill(p2l, -1);
        for (int l = 0; l < n; l++) {
            int p = layout.get(l);
            if (p < 0 || p >= phys || p2l[p] >= 0) throw new IllegalArgumentException("layout " + layout + " is not injective into " + phys + " qubits");
            l2p[l] = p;
            p2l[p] = l;
        }
        List<int[]> twoQubit = new ArrayList<>(); // logical operands of the 2q gates, in order
        for (Op op : c.ops()) if (body(op) instanceof Op.Gate g && g.qubits().size() == 2) twoQubit.add(new int[] {g.qubits().get(0), g.qubits().get(1)});
        List<Op> out = new ArrayList<>();
        int swaps = 0, next2q = 0;
        for (Op op : c.ops()) {
            if (body(op) instanceof Op.Gate g && g.qubits().size() == 2) {
                int a = g.qubits().get(0), b = g.qubits().get(1);
                while (dist[l2p[a]][l2p[b]] > 1) {
                    if (dist[l2p[a]][l2p[b]] >= Integer.MAX_VALUE / 4) {
                        throw new IllegalArgumentException("device " + device.name() + " does not connect physical qubits " + l2p[a] + " and " + l2p[b]);
                    }
                    int[] s = bestSwap(a, b, l2p, p2l, twoQubit, next2q);
                    out.add(Op.Gate.of(GateKind.CX, s[0], s[1]));
                    out.add(Op.Gate.of(GateKind.CX, s[1], s[0]));
                    out.add(Op.Gate.of(GateKind.CX, s[0], s[1]));
                    swap(s[0], s[1], l2p, p2l);
                    swaps++;
                }
                next2q++;
            }
            out.add(mapped(op, l2p));
        }
        Circuit routed = new Circuit(c.name(), phys, c.numClbits(), c.params(), c.numInputs(), ImmutableList.copyOf(out));
        return new RoutingResult(routed, ImmutableList.copyOf(layout), ImmutableList.copyOf(Arrays.stream(l2p).boxed().toList()), swaps);
    }

    private static Op body(Op op) { return op instanceof Op.Conditional k ? k.body() : op; }

    /** A swap moving a toward b or b toward a by one hop, scored by the lookahead distance. */
    private int[] bestSwap(int a, int b, int[] l2p, int[] p2l, List<int[]> twoQubit, int from) {
        int[] best = null;
        long bestCost = Long.MAX_VALUE;
        for (int[] ends : new int[][] {{a, b}, {b, a}}) {
            int pm = l2p[ends[0]], target = l2p[ends[1]];
            for (int nb : neighbors[pm]) {
                if (dist[nb][target] != dist[pm][target] - 1) continue;
                swap(pm, nb, l2p, p2l);
                long cost = 0;
                for (int k = from; k < Math.min(twoQubit.size(), from + 1 + LOOKAHEAD); k++) {
                    int[] g = twoQubit.get(k);
                    cost += (long) dist[l2p[g[0]]][l2p[g[1]]] * (k == from ? LOOKAHEAD + 1 : 1);
                }
                swap(pm, nb, l2p, p2l);
                int[] cand = {Math.min(pm, nb), Math.max(pm, nb)};
                if (cost < bestCost || cost == bestCost && (cand[0] < best[0] || cand[0] == best[0] && cand[1] < best[1])) {
                    best = cand;
                    bestCost = cost;
                }
            }
        }
        return best;
    }

    private static void swap(int pa, int pb, int[] l2p, int[] p2l) {
        int la = p2l[pa], lb = p2l[pb];
        p2l[pa] = lb;
        p2l[pb] = la;
        if (la >= 0) l2p[la] = pb;
        if (lb >= 0) l2p[lb] = pa;
    }

    private static Op mapped(Op op, int[] l2p) {
        return switch (op) {
            case Op.Gate g -> g.withQubits(g.qubits().stream().map(q -> l2p[q]).collect(ImmutableList.toImmutableList()));
            case Op.Measure m -> new Op.Measure(l2p[m.qubit()], m.clbit());
            case Op.Reset r -> new Op.Reset(l2p[r.qubit()]);
            case Op.Barrier b -> new Op.Barrier(b.qubits().stream().map(q -> l2p[q]).collect(ImmutableList.toImmutableList()));
            case Op.Conditional k -> new Op.Conditional(k.firstClbit(), k.width(), k.value(), mapped(k.body(), l2p));
        };
    }
}
