package tml.runtime.quantum;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;

/**
 * Exact statevector simulation. Gates on states of at least {@code parallelMinQubits} qubits are
 * split over a ForkJoinPool; results are bit-identical for any thread count. Batches of small
 * circuits are parallel over the batch instead. Terminal measurements are read from the final
 * state; mid-circuit measurements, resets and conditions are simulated exactly by branching.
 */
public final class StatevectorSimulator implements AutoCloseable {
    /** Probabilities below this are left out of {@link #distribution}. */
    public static final double DISTRIBUTION_CUTOFF = 1e-15;
    /** Most branches a run may hold at once (each is a full state). */
    public static final int MAX_BRANCHES = 4096;

    private final ForkJoinPool pool;
    private final boolean ownsPool;
    private final int parallelMinQubits;

    /** One thread per available processor; kernels go parallel from 14 qubits. */
    public StatevectorSimulator() { this(Runtime.getRuntime().availableProcessors(), 14); }

    /** @param threads worker threads (1: everything on the calling thread) */
    public StatevectorSimulator(int threads, int parallelMinQubits) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive");
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
        this.ownsPool = true;
        this.parallelMinQubits = parallelMinQubits;
    }

    /** Uses a caller-owned pool (not shut down by {@link #close}). */
    public StatevectorSimulator(ForkJoinPool pool, int parallelMinQubits) {
        this.pool = pool;
        this.ownsPool = false;
        this.parallelMinQubits = parallelMinQubits;
    }

    @Override public void close() {
        if (ownsPool && pool != null) pool.shutdown();
    }

    // ---------------------------------------------------------------- evolution

    /** The final state of a circuit without mid-circuit measurement, reset or condition, from |0…0⟩. */
    public StateVector run(Circuit c, double[] params, double[] inputs) { return run(c, ParamBinding.of(c, params, inputs)); }

    public StateVector run(Circuit c, ParamBinding b) { return run(c, b, StateVector.zero(c.numQubits())); }

    /** As {@link #run(Circuit, ParamBinding)} from a given state (copied). Terminal measurements are ignored. */
    public StateVector run(Circuit c, ParamBinding b, StateVector initial) {
        if (initial.numQubits() != c.numQubits()) throw new IllegalArgumentException("state has " + initial.numQubits() + " qubits, circuit " + c.numQubits());
        MeasurementPlan plan = MeasurementPlan.of(c);
        if (plan.branching())
            throw new IllegalArgumentException("circuit " + c.name() + " measures or resets mid-circuit or has conditions: use distribution() or sample()");
        StateVector s = initial.copy();
        GateApplier g = applier(s.numQubits());
        for (Op op : c.ops()) if (op instanceof Op.Gate gate) g.apply(s, gate.kind(), b.angles(gate), gate.qubits());
        return s;
    }

    /** Applies one gate in place. */
    public void apply(StateVector s, GateKind kind, double[] angles, int... qubits) {
        applier(s.numQubits()).apply(s, kind, angles, Arrays.stream(qubits).boxed().toList());
    }

    /** Applies any 2^k×2^k matrix (unitary or not) to k qubits in place; operand j is matrix index bit j. */
    public void applyMatrix(StateVector s, ComplexMatrix m, int... qubits) { applier(s.numQubits()).applyMatrix(s, m, qubits); }

    // ---------------------------------------------------------------- readout

    public double[] probabilities(StateVector s) {
        double[] p = new double[s.size()];
        double[] a = s.raw();
        ParallelLoops.forRange(poolFor(s.numQubits()), p.length, (lo, hi) -> {
            for (int i = lo; i < hi; i++) p[i] = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
        });
        return p;
    }

    public double expectation(StateVector s, Observable o) { return PauliOps.expectation(poolFor(s.numQubits()), s, o); }

    public double expectation(StateVector s, PauliString p) { return PauliOps.expectation(poolFor(s.numQubits()), s, p); }

    /** ⟨O⟩ of the final state of a circuit. */
    public double expectation(Circuit c, ParamBinding b, Observable o) { return expectation(run(c, b), o); }

    // ---------------------------------------------------------------- batches

    /** The final states for each row of input features (same parameters). */
    public ImmutableList<StateVector> runBatch(Circuit c, double[] params, double[][] inputs) {
        StateVector[] out = new StateVector[inputs.length];
        forBatch(c.numQubits(), inputs.length, (sim, i) -> out[i] = sim.run(c, ParamBinding.of(c, params, inputs[i])));
        return ImmutableList.copyOf(out);
    }

    /** result[i][k] = ⟨observables[k]⟩ for input row i. */
    public double[][] expectationBatch(Circuit c, double[] params, double[][] inputs, List<Observable> observables) {
        double[][] out = new double[inputs.length][];
        forBatch(c.numQubits(), inputs.length, (sim, i) -> {
            StateVector s = sim.run(c, ParamBinding.of(c, params, inputs[i]));
            double[] e = new double[observables.size()];
            for (int k = 0; k < e.length; k++) e[k] = sim.expectation(s, observables.get(k));
            out[i] = e;
        });
        return out;
    }

    @FunctionalInterface
    private interface BatchBody {
        void run(StatevectorSimulator serial, int index);
    }

    private void forBatch(int numQubits, int size, BatchBody body) {
        if (pool == null || numQubits >= parallelMinQubits || size < 2) {
            for (int i = 0; i < size; i++) body.run(this, i);
            return;
        }
        StatevectorSimulator serial = new StatevectorSimulator(null, Integer.MAX_VALUE);
        pool.invoke(new BatchTask(0, size, serial, body));
    }

    private static final class BatchTask extends RecursiveAction {
        private final int from, to;
        private final StatevectorSimulator serial;
        private final BatchBody body;

        BatchTask(int from, int to, StatevectorSimulator serial, BatchBody body) {
            this.from = from;
            this.to = to;
            this.serial = serial;
            this.body = body;
        }

        @Override protected void compute() {
            if (to - from == 1) {
                body.run(serial, from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new BatchTask(from, mid, serial, body), new BatchTask(mid, to, serial, body));
        }
    }

    // ---------------------------------------------------------------- measurement

    /**
     * Exact probabilities of the outcomes, keyed by Qiskit-order bitstrings: of the classical
     * bits when the circuit measures, else of all qubits. Outcomes below {@link #DISTRIBUTION_CUTOFF} are left out.
     */
    public ImmutableSortedMap<String, Double> distribution(Circuit c, ParamBinding b) {
        MeasurementPlan plan = MeasurementPlan.of(c);
        List<Branch> branches = branches(c, b, plan);
        Map<Long, Double> acc = new HashMap<>();
        int[][] deferred = deferredMeasures(c, plan);
        for (Branch br : branches) {
            double[] p = probabilities(br.state());
            for (int i = 0; i < p.length; i++)
                if (p[i] != 0) acc.merge(outcome(br.clbits(), i, deferred, plan), p[i], Double::sum);
        }
        int width = plan.hasMeasurements() ? c.numClbits() : c.numQubits();
        ImmutableSortedMap.Builder<String, Double> out = ImmutableSortedMap.naturalOrder();
        acc.forEach((k, v) -> { if (v >= DISTRIBUTION_CUTOFF) out.put(Bitstrings.of(k, width), v); });
        return out.build();
    }

    /** {@code shots} samples with a seeded generator, counted by outcome bitstring (as {@link #distribution}). */
    public ImmutableSortedMap<String, Integer> sample(Circuit c, ParamBinding b, int shots, long seed) {
        if (shots < 0) throw new IllegalArgumentException("shots must be non-negative");
        MeasurementPlan plan = MeasurementPlan.of(c);
        List<Branch> branches = branches(c, b, plan);
        int[][] deferred = deferredMeasures(c, plan);
        double total = 0;
        double[][] probs = new double[branches.size()][];
        for (int k = 0; k < probs.length; k++) {
            probs[k] = probabilities(branches.get(k).state());
            for (double v : probs[k]) total += v;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = new double[shots];
        for (int s = 0; s < shots; s++) u[s] = rng.nextDouble() * total;
        Arrays.sort(u);
        Map<Long, Integer> counts = new HashMap<>();
        int s = 0;
        double cum = 0;
        long last = -1;
        for (int k = 0; k < probs.length && s < shots; k++)
            for (int i = 0; i < probs[k].length && s < shots; i++) {
                if (probs[k][i] == 0) continue;
                cum += probs[k][i];
                last = outcome(branches.get(k).clbits(), i, deferred, plan);
                int n = 0;
                while (s < shots && u[s] < cum) { s++; n++; }
                if (n > 0) counts.merge(last, n, Integer::sum);
            }
        if (s < shots && last >= 0) counts.merge(last, shots - s, Integer::sum); // rounding at the very end
        int width = plan.hasMeasurements() ? c.numClbits() : c.numQubits();
        ImmutableSortedMap.Builder<String, Integer> out = ImmutableSortedMap.naturalOrder();
        counts.forEach((k, v) -> out.put(Bitstrings.of(k, width), v));
        return out.build();
    }

    private static long outcome(long clbits, int index, int[][] deferred, MeasurementPlan plan) {
        if (!plan.hasMeasurements()) return index;
        long v = clbits;
        for (int[] m : deferred) v = (v & ~(1L << m[1])) | ((long) (index >>> m[0] & 1) << m[1]);
        return v;
    }

    private static int[][] deferredMeasures(Circuit c, MeasurementPlan plan) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < c.ops().size(); i++)
            if (plan.deferred()[i] && c.ops().get(i) instanceof Op.Measure m) out.add(new int[] {m.qubit(), m.clbit()});
        return out.toArray(new int[0][]);
    }

    /** Runs the circuit, splitting at non-terminal measurements and resets. */
    List<Branch> branches(Circuit c, ParamBinding b, MeasurementPlan plan) {
        GateApplier g = applier(c.numQubits());
        List<Branch> live = new ArrayList<>(List.of(new Branch(StateVector.zero(c.numQubits()), 0)));
        for (int i = 0; i < c.ops().size(); i++) {
            Op op = c.ops().get(i);
            if (plan.deferred()[i]) continue;
            List<Branch> next = new ArrayList<>();
            for (Branch br : live) step(g, b, op, br, next);
            if (next.size() > MAX_BRANCHES) throw new IllegalArgumentException("more than " + MAX_BRANCHES + " measurement branches in " + c.name());
            live = next;
        }
        return live;
    }

    private void step(GateApplier g, ParamBinding b, Op op, Branch br, List<Branch> out) {
        switch (op) {
            case Op.Gate gate -> {
                g.apply(br.state(), gate.kind(), b.angles(gate), gate.qubits());
                out.add(br);
            }
            case Op.Barrier ignored -> out.add(br);
            case Op.Measure m -> {
                StateVector one = br.state().copy();
                project(g, br.state(), m.qubit(), 0);
                project(g, one, m.qubit(), 1);
                keep(out, new Branch(br.state(), br.clbits() & ~(1L << m.clbit())));
                keep(out, new Branch(one, br.clbits() | 1L << m.clbit()));
            }
            case Op.Reset r -> {
                StateVector one = br.state().copy();
                project(g, br.state(), r.qubit(), 0);
                project(g, one, r.qubit(), 1);
                g.apply(one, GateKind.X, new double[0], List.of(r.qubit()));
                keep(out, new Branch(br.state(), br.clbits()));
                keep(out, new Branch(one, br.clbits()));
            }
            case Op.Conditional k -> {
                long bits = br.clbits() >>> k.firstClbit() & ((1L << k.width()) - 1);
                if (bits == k.value()) step(g, b, k.body(), br, out);
                else out.add(br);
            }
        }
    }

    private static void keep(List<Branch> out, Branch b) {
        if (b.state().normSquared() >= DISTRIBUTION_CUTOFF) out.add(b);
    }

    private static void project(GateApplier g, StateVector s, int qubit, int bit) {
        ComplexMatrix p = ComplexMatrix.of(2, bit == 0 ? new double[] {1, 0, 0, 0} : new double[] {0, 0, 0, 1}, new double[4]);
        g.applyMatrix(s, p, new int[] {qubit});
    }

    // ---------------------------------------------------------------- plumbing

    private ForkJoinPool poolFor(int numQubits) { return numQubits >= parallelMinQubits ? pool : null; }

    private GateApplier applier(int numQubits) { return new GateApplier(poolFor(numQubits)); }
}
