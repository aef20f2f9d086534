package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/**
 * Layout and routing onto a device's coupling map after SABRE (Li, Ding, Xie 2019). Three-qubit
 * gates are first decomposed. Routing walks the dependency DAG: ops in the front layer run as soon
 * as their qubits are coupled; otherwise the swap on an edge touching the front minimising
 * (front distance + w·lookahead distance)·decay is inserted (seeded tie-breaks). The initial
 * layout comes from random layouts refined by forward–backward routing passes; the trial with
 * fewest swaps wins. Deterministic for a given seed.
 */
public final class SabreRoute implements CircuitPass {
    /**
     * @param layoutTrials random initial layouts tried
     * @param layoutIterations forward–backward refinements of each
     * @param extendedSetSize lookahead gates considered
     * @param extendedWeight weight of the lookahead term
     * @param decayDelta decay added to qubits of each inserted swap
     * @param decayReset swaps after which decay resets
     */
    public record Options(int layoutTrials, int layoutIterations, int extendedSetSize, double extendedWeight,
                          double decayDelta, int decayReset) {
        public static final Options DEFAULT = new Options(4, 2, 20, 0.5, 0.001, 5);
    }

    private final Device device;
    private final long seed;
    private final Options options;
    private final int[][] dist;
    private final int[][] neighbors;

    public SabreRoute(Device device, long seed) { this(device, seed, Options.DEFAULT); }

    public SabreRoute(Device device, long seed, Options options) {
        this.device = device;
        this.seed = seed;
        this.options = options;
        this.dist = device.distances();
        this.neighbors = device.neighbors();
    }

    @Override public String name() { return "sabre-route"; }

    @Override public Circuit run(Circuit c) { return route(c).circuit(); }

    public RoutingResult route(Circuit input) {
        Circuit c = new DecomposeThreeQubitGates().run(input);
        int n = c.numQubits(), phys = device.numQubits();
        if (n > phys) throw new IllegalArgumentException("circuit " + c.name() + " needs " + n + " qubits; device " + device.name() + " has " + phys);
        List<Op> forward = c.ops();
        List<Op> backward = new ArrayList<>(forward);
        Collections.reverse(backward);
        CircuitDag fwd = new CircuitDag(c, forward), bwd = new CircuitDag(c, backward);
        SplittableRandom rng = new SplittableRandom(seed);
        Routed best = null;
        int[] bestLayout = null;
        for (int t = 0; t < Math.max(1, options.layoutTrials()); t++) {
            int[] layout = randomLayout(rng, n, phys);
            for (int it = 0; it < options.layoutIterations(); it++) {
                layout = route(c, fwd, layout, rng, false).finalLayout;
                layout = route(c, bwd, layout, rng, false).finalLayout;
            }
            Routed r = route(c, fwd, layout, rng, true);
            if (best == null || r.swaps < best.swaps) {
                best = r;
                bestLayout = layout;
            }
        }
        Circuit routed = new Circuit(c.name(), phys, c.numClbits(), c.params(), c.numInputs(), ImmutableList.copyOf(best.ops));
        return new RoutingResult(routed, ImmutableList.copyOf(Arrays.stream(bestLayout).boxed().toList()),
                ImmutableList.copyOf(Arrays.stream(best.finalLayout).boxed().toList()), best.swaps);
    }

    private record Routed(List<Op> ops, int[] finalLayout, int swaps) {}

    private static int[] randomLayout(SplittableRandom rng, int n, int phys) {
        int[] perm = new int[phys];
        for (int i = 0; i < phys; i++) perm[i] = i;
        for (int i = phys - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        return Arrays.copyOf(perm, n);
    }

    /** One routing pass from {@code initial} (logical → physical). */
    private Routed route(Circuit c, CircuitDag dag, int[] initial, SplittableRandom rng, boolean emit) {
        int phys = device.numQubits();
        int[] l2p = initial.clone();
        int[] p2l = new int[phys];
        Arrays.fill(p2l, -1);
        for (int l = 0; l < l2p.length; l++) p2l[l2p[l]] = l;
        int[] indeg = dag.indegree.clone();
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < indeg.length; i++) if (indeg[i] == 0) front.add(i);
        double[] decay = new double[phys];
        Arrays.fill(decay, 1);
        List<Op> out = new ArrayList<>();
        int swaps = 0, stalled = 0, sinceReset = 0;
        while (!front.isEmpty()) {
            boolean progressed = false;
            for (int k = 0; k < front.size(); ) {
                int i = front.get(k);
                Op op = dag.ops.get(i);
                if (executable(op, l2p)) {
                    if (emit) out.add(mapped(op, l2p));
                    front.remove(k);
                    for (int s : dag.successors[i]) if (--indeg[s] == 0) front.add(s);
                    progressed = true;
                } else {
                    k++;
                }
            }
            if (progressed) {
                stalled = 0;
                Arrays.fill(decay, 1);
                continue;
            }
            int[] swap = stalled > 2 * phys + 10 ? forcedSwap(dag.ops.get(front.get(0)), l2p) : bestSwap(dag, front, l2p, decay, rng);
            int a = swap[0], b = swap[1];
            if (emit) out.add(Op.Gate.of(GateKind.SWAP, a, b));
            int la = p2l[a], lb = p2l[b];
            p2l[a] = lb;
            p2l[b] = la;
            if (la >= 0) l2p[la] = b;
            if (lb >= 0) l2p[lb] = a;
            swaps++;
            stalled++;
            decay[a] += options.decayDelta();
            decay[b] += options.decayDelta();
            if (++sinceReset >= options.decayReset()) {
                sinceReset = 0;
                Arrays.fill(decay, 1);
            }
        }
        return new Routed(out, l2p, swaps);
    }

    private boolean executable(Op op, int[] l2p) {
        Op body = op instanceof Op.Conditional k ? k.body() : op;
        if (!(body instanceof Op.Gate g) || g.qubits().size() < 2) return true;
        int pa = l2p[g.qubits().get(0)], pb = l2p[g.qubits().get(1)];
        if (dist[pa][pb] >= Integer.MAX_VALUE / 4)
            throw new IllegalArgumentException("device " + device.name() + " cannot connect physical qubits " + pa + " and " + pb);
        return dist[pa][pb] == 1;
    }

    private static int[] pairOf(Op op) {
        Op body = op instanceof Op.Conditional k ? k.body() : op;
        if (body instanceof Op.Gate g && g.qubits().size() == 2) return new int[] {g.qubits().get(0), g.qubits().get(1)};
        return null;
    }

    private int[] bestSwap(CircuitDag dag, List<Integer> front, int[] l2p, double[] decay, SplittableRandom rng) {
        List<int[]> frontPairs = new ArrayList<>();
        for (int i : front) {
            int[] p = pairOf(dag.ops.get(i));
            if (p != null) frontPairs.add(p);
        }
        List<int[]> extended = extendedSet(dag, front);
        List<int[]> candidates = new ArrayList<>();
        for (int[] g : frontPairs)
            for (int l : g) {
                int p = l2p[l];
                for (int nb : neighbors[p]) {
                    int a = Math.min(p, nb), b = Math.max(p, nb);
                    if (candidates.stream().noneMatch(s -> s[0] == a && s[1] == b)) candidates.add(new int[] {a, b});
                }
            }
        candidates.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
        double bestScore = Double.MAX_VALUE;
        List<int[]> ties = new ArrayList<>();
        for (int[] s : candidates) {
            double score = Math.max(decay[s[0]], decay[s[1]])
                    * (cost(frontPairs, l2p, s) / frontPairs.size()
                       + (extended.isEmpty() ? 0 : options.extendedWeight() * cost(extended, l2p, s) / extended.size()));
            if (score < bestScore - 1e-12) {
                bestScore = score;
                ties.clear();
                ties.add(s);
            } else if (score <= bestScore + 1e-12) {
                ties.add(s);
            }
        }
        return ties.get(rng.nextInt(ties.size()));
    }

    /** Σ distance of the pairs' physical qubits once swap {@code s} is applied. */
    private double cost(List<int[]> pairs, int[] l2p, int[] s) {
        double c = 0;
        for (int[] g : pairs) c += dist[swapped(l2p[g[0]], s)][swapped(l2p[g[1]], s)];
        return c;
    }

    private static int swapped(int p, int[] s) { return p == s[0] ? s[1] : p == s[1] ? s[0] : p; }

    /** Two-qubit gates among the near successors of the front layer. */
    private List<int[]> extendedSet(CircuitDag dag, List<Integer> front) {
        List<int[]> out = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(front);
        boolean[] seen = new boolean[dag.ops.size()];
        for (int i : front) seen[i] = true;
        while (!queue.isEmpty() && out.size() < options.extendedSetSize()) {
            int i = queue.poll();
            for (int s : dag.successors[i]) {
                if (seen[s]) continue;
                seen[s] = true;
                int[] p = pairOf(dag.ops.get(s));
                if (p != null) out.add(p);
                queue.add(s);
            }
        }
        return out;
    }

    /** When the heuristic stalls: the first swap along a shortest path joining the blocked gate's qubits. */
    private int[] forcedSwap(Op op, int[] l2p) {
        int[] g = pairOf(op);
        int from = l2p[g[0]], to = l2p[g[1]];
        for (int nb : neighbors[from]) if (dist[nb][to] == dist[from][to] - 1) return new int[] {Math.min(from, nb), Math.max(from, nb)};
        throw new IllegalStateException("no path between physical qubits " + from + " and " + to);
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
