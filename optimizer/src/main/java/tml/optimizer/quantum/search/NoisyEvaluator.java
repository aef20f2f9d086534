package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.TreeSet;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.optimizer.quantum.RoutingResult;
import tml.runtime.quantum.DensityMatrix;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.ReadoutError;

/**
 * Scores a classifier circuit as it would run on a device: routes it from the given initial
 * layout ({@link LayoutRouter}), simulates the routed circuit with the density-matrix simulator
 * under {@link NoiseModel#fromDevice}, and reads each readout qubit's ⟨Z⟩ where the routing left
 * it, through the device's readout error. Only the physical qubits the routed circuit touches are
 * simulated (an untouched qubit stays |0⟩ and is noise-free), with their own error rates.
 */
public final class NoisyEvaluator {
    private final Device device;
    private final NoiseModel noise;
    private final LayoutRouter router;
    private final Readout readout;

    public NoisyEvaluator(Device device, Readout readout) {
        this.device = device;
        this.noise = NoiseModel.fromDevice(device);
        this.router = new LayoutRouter(device);
        this.readout = readout;
    }

    public Device device() { return device; }

    public Readout readout() { return readout; }

    public NoisyEvaluation evaluate(Circuit logical, double[] params, List<Integer> layout, Dataset data) {
        for (Op op : logical.ops()) {
            if (!(op instanceof Op.Gate || op instanceof Op.Barrier || op instanceof Op.Measure)) {
                throw new IllegalArgumentException("a searched classifier circuit must be unitary (gates only); circuit " + logical.name() + " has " + op);
            }
        }
        Circuit gates = logical.withOps(logical.ops().stream().filter(o -> o instanceof Op.Gate).collect(ImmutableList.toImmutableList()));
        RoutingResult routing = router.route(gates, layout);
        int[] rq = readout.qubits();
        TreeSet<Integer> used = new TreeSet<>();
        for (Op op : routing.circuit().ops()) used.addAll(op.qubits());
        for (int q : rq) used.add(routing.finalLayout().get(q));
        int[] compact = new int[device.numQubits()];
        int[] original = used.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < original.length; i++) compact[original[i]] = i;
        Circuit small = compacted(routing.circuit(), original.length, compact);
        DensityMatrixSimulator sim = new DensityMatrixSimulator(compactedNoise(original));
        double loss = 0;
        int right = 0;
        for (int i = 0; i < data.size(); i++) {
            DensityMatrix rho = sim.run(small, ParamBinding.of(small, params, data.features()[i]));
            double[] z = new double[rq.length];
            for (int k = 0; k < rq.length; k++) {
                int phys = routing.finalLayout().get(rq[k]);
                z[k] = measuredZ(sim.expectation(rho, Observable.z(compact[phys])), noise.readout(phys));
            }
            loss += readout.loss(z, data.labels()[i]);
            if (readout.predict(z) == data.labels()[i]) right++;
        }
        return new NoisyEvaluation(new Score(loss / data.size(), (double) right / data.size()), routing, GateCounts.of(gates), GateCounts.of(routing.circuit()));
    }

    /** ⟨Z⟩ of the recorded bit: the bit reads 1 with P₀·p(1|0) + P₁·(1 − p(0|1)). */
    static double measuredZ(double z, ReadoutError e) {
        return 1 - (1 + z) * e.prob1Given0() - (1 - z) * (1 - e.prob0Given1());
    }

    private static Circuit compacted(Circuit c, int n, int[] compact) {
        ImmutableList<Op> ops = c.ops().stream()
                .map(op -> (Op) ((Op.Gate) op).withQubits(op.qubits().stream().map(q -> compact[q]).collect(ImmutableList.toImmutableList())))
                .collect(ImmutableList.toImmutableList());
        return new Circuit(c.name(), n, 0, c.params(), c.numInputs(), ops);
    }

    private NoiseModel compactedNoise(int[] original) {
        ImmutableMap.Builder<Integer, Double> p1 = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, ReadoutError> ro = ImmutableMap.builder();
        ImmutableMap.Builder<Long, Double> p2 = ImmutableMap.builder();
        for (int i = 0; i < original.length; i++) {
            p1.put(i, noise.depolarizing1q(original[i]));
            ro.put(i, noise.readout(original[i]));
            for (int j = i + 1; j < original.length; j++) p2.put(NoiseModel.pairKey(i, j), noise.depolarizing2q(original[i], original[j]));
        }
        return new NoiseModel(noise.depolarizing1q(), noise.depolarizing2q(), noise.amplitudeDamping(), noise.phaseDamping(), ReadoutError.NONE,
                p1.buildOrThrow(), p2.buildOrThrow(), ro.buildOrThrow());
    }
}
