package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random circuits for property tests and benchmarks. With {@code echoProbability} a new
 * gate is instead derived from one of the last few gates (its inverse, the same rotation with a
 * new angle, or the same gate again), so that optimization passes find work.
 *
 * @param kinds gate kinds to draw from
 * @param numParams parameters {@code t0..t(k-1)} that symbolic angles may use
 * @param symbolicProbability chance that an angle is affine in a parameter rather than a number
 * @param echoProbability chance that a gate echoes a recent one
 * @param tinyProbability chance that a numeric angle is tiny (|a| < 1e-12)
 */
public record RandomCircuits(int numQubits, ImmutableList<GateKind> kinds, int numParams,
                             double symbolicProbability, double echoProbability, double tinyProbability) {

    /** All gates that fit on {@code numQubits}, numeric angles only, no echoes. */
    public static RandomCircuits uniform(int numQubits) {
        return new RandomCircuits(numQubits, kindsUpTo(numQubits), 0, 0, 0, 0);
    }

    /** Gate kinds with at most {@code maxQubits} qubits. */
    public static ImmutableList<GateKind> kindsUpTo(int maxQubits) {
        return EnumSet.allOf(GateKind.class).stream().filter(k -> k.numQubits() <= maxQubits).collect(ImmutableList.toImmutableList());
    }

    public RandomCircuits withKinds(ImmutableList<GateKind> k) { return new RandomCircuits(numQubits, k, numParams, symbolicProbability, echoProbability, tinyProbability); }

    public RandomCircuits withParams(int n, double p) { return new RandomCircuits(numQubits, kinds, n, p, echoProbability, tinyProbability); }

    public RandomCircuits withEchoes(double p) { return new RandomCircuits(numQubits, kinds, numParams, symbolicProbability, p, tinyProbability); }

    public RandomCircuits withTiny(double p) { return new RandomCircuits(numQubits, kinds, numParams, symbolicProbability, echoProbability, p); }

    public Circuit generate(SplittableRandom rng, int numGates) {
        List<Op.Gate> gates = new ArrayList<>();
        while (gates.size() < numGates) {
            if (!gates.isEmpty() && rng.nextDouble() < echoProbability) {
                Op.Gate recent = gates.get(gates.size() - 1 - rng.nextInt(Math.min(6, gates.size())));
                gates.add(echo(rng, recent));
            } else {
                gates.add(fresh(rng));
            }
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < numParams; i++) params.add("t" + i);
        return new Circuit("random", numQubits, 0, ImmutableList.copyOf(params), 0, ImmutableList.copyOf(gates));
    }

    private Op.Gate fresh(SplittableRandom rng) {
        GateKind k = kinds.get(rng.nextInt(kinds.size()));
        List<Integer> pool = new ArrayList<>();
        for (int q = 0; q < numQubits; q++) pool.add(q);
        ImmutableList.Builder<Integer> qs = ImmutableList.builder();
        for (int i = 0; i < k.numQubits(); i++) qs.add(pool.remove(rng.nextInt(pool.size())));
        ImmutableList.Builder<Angle> as = ImmutableList.builder();
        for (int i = 0; i < k.numAngles(); i++) as.add(angle(rng));
        return new Op.Gate(k, as.build(), qs.build());
    }

    private Op.Gate echo(SplittableRandom rng, Op.Gate g) {
        int r = rng.nextInt(3);
        if (r == 0) return Gates.inverse(g);
        if (r == 1 && g.kind().isParameterized()) {
            ImmutableList.Builder<Angle> as = ImmutableList.builder();
            for (int i = 0; i < g.kind().numAngles(); i++) as.add(angle(rng));
            return g.withAngles(as.build());
        }
        return g;
    }

    /** A random angle: a number (sometimes a multiple of pi/4, sometimes tiny) or affine in a parameter. */
    public Angle angle(SplittableRandom rng) {
        if (numParams > 0 && rng.nextDouble() < symbolicProbability) {
            Angle a = Angle.param("t" + rng.nextInt(numParams)).times(rng.nextInt(2) == 0 ? 1 : rng.nextDouble(-2, 2));
            return rng.nextBoolean() ? a : a.plus(rng.nextDouble(-Math.PI, Math.PI));
        }
        if (rng.nextDouble() < tinyProbability) return Angle.of(rng.nextDouble(-1e-12, 1e-12));
        if (rng.nextInt(4) == 0) return Angle.of(rng.nextInt(-8, 9) * Math.PI / 4);
        return Angle.of(rng.nextDouble(-2 * Math.PI, 2 * Math.PI));
    }

    /** A random normalized state on n qubits, as {re, im}. */
    public static double[][] randomState(SplittableRandom rng, int n) {
        int d = 1 << n;
        double[] re = new double[d], im = new double[d];
        double norm = 0;
        for (int i = 0; i < d; i++) {
            re[i] = gaussian(rng);
            im[i] = gaussian(rng);
            norm += re[i] * re[i] + im[i] * im[i];
        }
        double s = 1 / Math.sqrt(norm);
        for (int i = 0; i < d; i++) { re[i] *= s; im[i] *= s; }
        return new double[][] {re, im};
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
