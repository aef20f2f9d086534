package tml.runtime.quantum;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;

/**
 * Exact mixed-state simulation under a {@link NoiseModel} (see there for where channels act).
 * Mid-circuit measurements and conditions are exact: the run keeps one (unnormalised) density
 * matrix per value of the classical bits. Single-threaded; up to {@link DensityMatrix#MAX_QUBITS} qubits.
 */
public final class DensityMatrixSimulator {
    private final NoiseModel noise;
    private final GateApplier applier = new GateApplier(null);

    public DensityMatrixSimulator(NoiseModel noise) { this.noise = noise; }

    public NoiseModel noise() { return noise; }

    /** The final density matrix of a circuit without mid-circuit measurement, reset or condition (terminal measurements ignored). */
    public DensityMatrix run(Circuit c, ParamBinding b) {
        MeasurementPlan plan = MeasurementPlan.of(c);
        if (plan.branching()) throw new IllegalArgumentException("circuit " + c.name() + " measures mid-circuit: use distribution()");
        DensityMatrix rho = DensityMatrix.zero(c.numQubits());
        for (Op op : c.ops()) if (op instanceof Op.Gate g) gate(rho, g, b);
        return rho;
    }

    /** ⟨O⟩ = Tr(Oρ). */
    public double expectation(DensityMatrix rho, Observable o) {
        double e = 0;
        int n = rho.numQubits();
        for (PauliString p : o.terms()) {
            if (p.width() > n) throw new IllegalArgumentException("observable wider than the state");
            int x = p.xMask(), z = p.zMask(), ny = p.yCount() & 3;
            double s = 0;
            for (int k = 0; k < 1 << n; k++) {
                // phase(k) * ρ[k][k^x], real part
                double r = rho.re(k, k ^ x), i = rho.im(k, k ^ x);
                double sign = (Integer.bitCount(k & z) & 1) == 0 ? 1 : -1;
                s += sign * switch (ny) {
                    case 0 -> r;
                    case 1 -> -i;
                    case 2 -> -r;
                    default -> i;
                };
            }
            e += p.coefficient() * s;
        }
        return e;
    }

    public double expectation(Circuit c, ParamBinding b, Observable o) { return expectation(run(c, b), o); }

    /**
     * Exact outcome probabilities including readout error, keyed like
     * {@link StatevectorSimulator#distribution}: by classical bits when the circuit measures, else
     * by all qubits (each read with its readout error).
     */
    public ImmutableSortedMap<String, Double> distribution(Circuit c, ParamBinding b) {
        Map<Long, Double> d = outcomes(c, b);
        MeasurementPlan plan = MeasurementPlan.of(c);
        int width = plan.hasMeasurements() ? c.numClbits() : c.numQubits();
        ImmutableSortedMap.Builder<String, Double> out = ImmutableSortedMap.naturalOrder();
        d.forEach((k, v) -> { if (v >= StatevectorSimulator.DISTRIBUTION_CUTOFF) out.put(Bitstrings.of(k, width), v); });
        return out.build();
    }

    /** Seeded shots drawn from {@link #distribution}'s exact probabilities. */
    public ImmutableSortedMap<String, Integer> sample(Circuit c, ParamBinding b, int shots, long seed) {
        ImmutableSortedMap<String, Double> d = distribution(c, b);
        List<String> keys = new ArrayList<>(d.keySet());
        double[] cum = new double[keys.size()];
        double t = 0;
        for (int i = 0; i < cum.length; i++) cum[i] = t += d.get(keys.get(i));
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Integer> counts = new TreeMap<>();
        for (int s = 0; s < shots; s++) {
            double u = rng.nextDouble() * t;
            int lo = 0, hi = cum.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] > u) hi = mid; else lo = mid + 1;
            }
            counts.merge(keys.get(lo), 1, Integer::sum);
        }
        return ImmutableSortedMap.copyOf(counts);
    }

    private Map<Long, Double> outcomes(Circuit c, ParamBinding b) {
        MeasurementPlan plan = MeasurementPlan.of(c);
        int n = c.numQubits();
        TreeMap<Long, DensityMatrix> branches = new TreeMap<>();
        branches.put(0L, DensityMatrix.zero(n));
        List<int[]> deferred = new ArrayList<>();
        for (int i = 0; i < c.ops().size(); i++) {
            Op op = c.ops().get(i);
            if (plan.deferred()[i]) {
                Op.Measure m = (Op.Measure) op;
                deferred.add(new int[] {m.qubit(), m.clbit()});
                continue;
            }
            TreeMap<Long, DensityMatrix> next = new TreeMap<>();
            for (var e : branches.entrySet()) step(op, e.getKey(), e.getValue(), b, next);
            branches = next;
        }
        if (!plan.hasMeasurements()) for (int q = 0; q < n; q++) deferred.add(new int[] {q, q});
        Map<Long, Double> out = new HashMap<>();
        for (var e : branches.entrySet()) {
            double[] p = e.getValue().probabilities();
            Map<Long, Double> dist = new HashMap<>();
            for (int i = 0; i < p.length; i++) {
                if (p[i] == 0) continue;
                long v = plan.hasMeasurements() ? e.getKey() : 0;
                for (int[] m : deferred) v = (v & ~(1L << m[1])) | ((long) (i >>> m[0] & 1) << m[1]);
                dist.merge(v, p[i], Double::sum);
            }
            for (int[] m : deferred) dist = flip(dist, m[1], noise.readout(m[0]));
            dist.forEach((k, v) -> out.merge(k, v, Double::sum));
        }
        return out;
    }

    /** Applies a readout error to classical bit {@code bit} of every outcome. */
    private static Map<Long, Double> flip(Map<Long, Double> dist, int bit, ReadoutError r) {
        if (r.isNone()) return dist;
        Map<Long, Double> out = new HashMap<>();
        long mask = 1L << bit;
        dist.forEach((k, p) -> {
            boolean one = (k & mask) != 0;
            double stay = one ? 1 - r.prob0Given1() : 1 - r.prob1Given0();
            out.merge(k, p * stay, Double::sum);
            out.merge(k ^ mask, p * (1 - stay), Double::sum);
        });
        return out;
    }

    private void step(Op op, long clbits, DensityMatrix rho, ParamBinding b, TreeMap<Long, DensityMatrix> out) {
        switch (op) {
            case Op.Gate g -> {
                gate(rho, g, b);
                merge(out, clbits, rho);
            }
            case Op.Barrier ignored -> merge(out, clbits, rho);
            case Op.Reset r -> {
                kraus(rho, NoiseChannels.reset(), new int[] {r.qubit()});
                merge(out, clbits, rho);
            }
            case Op.Measure m -> {
                DensityMatrix one = rho.copy();
                kraus(rho, ImmutableList.of(projector(0)), new int[] {m.qubit()});
                kraus(one, ImmutableList.of(projector(1)), new int[] {m.qubit()});
                ReadoutError r = noise.readout(m.qubit());
                long c0 = clbits & ~(1L << m.clbit()), c1 = clbits | 1L << m.clbit();
                // recorded 0: (1-e0)·ρ0 + e1·ρ1 ; recorded 1: e0·ρ0 + (1-e1)·ρ1
                DensityMatrix rec0 = mix(rho, 1 - r.prob1Given0(), one, r.prob0Given1());
                DensityMatrix rec1 = mix(rho, r.prob1Given0(), one, 1 - r.prob0Given1());
                if (rec0.trace() >= StatevectorSimulator.DISTRIBUTION_CUTOFF) merge(out, c0, rec0);
                if (rec1.trace() >= StatevectorSimulator.DISTRIBUTION_CUTOFF) merge(out, c1, rec1);
            }
            case Op.Conditional k -> {
                long bits = clbits >>> k.firstClbit() & ((1L << k.width()) - 1);
                if (bits == k.value()) step(k.body(), clbits, rho, b, out);
                else merge(out, clbits, rho);
            }
        }
    }

    private static DensityMatrix mix(DensityMatrix a, double wa, DensityMatrix b, double wb) {
        DensityMatrix x = a.copy();
        x.scale(wa);
        DensityMatrix y = b.copy();
        y.scale(wb);
        x.add(y);
        return x;
    }

    private static void merge(TreeMap<Long, DensityMatrix> out, long key, DensityMatrix rho) {
        DensityMatrix prev = out.get(key);
        if (prev == null) out.put(key, rho);
        else prev.add(rho);
    }

    /** Applies a gate and then the noise model's channels. */
    void gate(DensityMatrix rho, Op.Gate g, ParamBinding b) {
        int[] qs = g.qubits().stream().mapToInt(Integer::intValue).toArray();
        unitary(rho, Gates.matrix(g, b), qs);
        if (noise.isIdeal()) return;
        switch (qs.length) {
            case 1 -> depolarize1(rho, qs[0], noise.depolarizing1q(qs[0]));
            case 2 -> {
                double p = noise.depolarizing2q(qs[0], qs[1]);
                if (p > 0) kraus(rho, NoiseChannels.depolarizing2(p), qs);
            }
            default -> { for (int q : qs) depolarize1(rho, q, noise.depolarizing2q()); }
        }
        for (int q : qs) {
            if (noise.amplitudeDamping() > 0) kraus(rho, NoiseChannels.amplitudeDamping(noise.amplitudeDamping()), new int[] {q});
            if (noise.phaseDamping() > 0) kraus(rho, NoiseChannels.phaseDamping(noise.phaseDamping()), new int[] {q});
        }
    }

    private void depolarize1(DensityMatrix rho, int q, double p) {
        if (p > 0) kraus(rho, NoiseChannels.depolarizing1(p), new int[] {q});
    }

    /** ρ → UρU†. */
    void unitary(DensityMatrix rho, ComplexMatrix u, int[] qubits) {
        applier.applyMatrix(rho.vec(), u, qubits);
        applier.applyMatrix(rho.vec(), u.conjugate(), shifted(qubits, rho.numQubits()));
    }

    /** ρ → Σ KρK† (in place). */
    void kraus(DensityMatrix rho, List<ComplexMatrix> ks, int[] qubits) {
        if (ks.size() == 1) {
            unitary(rho, ks.get(0), qubits);
            return;
        }
        DensityMatrix acc = null;
        for (ComplexMatrix k : ks) {
            DensityMatrix term = rho.copy();
            unitary(term, k, qubits);
            if (acc == null) acc = term; else acc.add(term);
        }
        System.arraycopy(acc.vec().raw(), 0, rho.vec().raw(), 0, acc.vec().raw().length);
    }

    private static int[] shifted(int[] qubits, int n) {
        int[] s = new int[qubits.length];
        for (int i = 0; i < s.length; i++) s[i] = qubits[i] + n;
        return s;
    }

    private static ComplexMatrix projector(int bit) {
        return ComplexMatrix.of(2, bit == 0 ? new double[] {1, 0, 0, 0} : new double[] {0, 0, 0, 1}, new double[4]);
    }
}
