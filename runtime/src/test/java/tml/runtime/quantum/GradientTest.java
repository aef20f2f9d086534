package tml.runtime.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;

/** Adjoint and parameter-shift gradients agree with central finite differences. */
class GradientTest {
    private static final StatevectorSimulator SIM = new StatevectorSimulator(1, 99);

    @AfterAll
    static void close() { SIM.close(); }

    /** A random circuit whose angles mix parameters and inputs, over every gate kind. */
    private static Circuit randomParametric(SplittableRandom rng, int n, int gates) {
        Circuit base = RandomCircuits.uniform(n).withParams(3, 0.8).generate(rng, gates);
        List<Op> ops = new ArrayList<>();
        for (Op op : base.ops()) {
            Op.Gate g = (Op.Gate) op;
            if (g.kind().isParameterized() && rng.nextInt(3) == 0) {
                List<Angle> as = new ArrayList<>(g.angles());
                as.set(0, as.get(0).plus(Angle.input(rng.nextInt(2)).times(rng.nextDouble(-1.5, 1.5))));
                ops.add(g.withAngles(ImmutableList.copyOf(as)));
            } else ops.add(g);
        }
        return new Circuit("p", n, 0, base.params(), 2, ImmutableList.copyOf(ops));
    }

    private static Gradient finiteDifferences(Circuit c, double[] p, double[] x, ParameterShift.Estimator est) {
        double h = 1e-5;
        double[] dp = new double[p.length], dx = new double[x.length];
        for (int i = 0; i < p.length; i++) {
            double[] a = p.clone(), b = p.clone();
            a[i] += h;
            b[i] -= h;
            dp[i] = (est.expectation(c, ParamBinding.of(c, a, x)) - est.expectation(c, ParamBinding.of(c, b, x))) / (2 * h);
        }
        for (int i = 0; i < x.length; i++) {
            double[] a = x.clone(), b = x.clone();
            a[i] += h;
            b[i] -= h;
            dx[i] = (est.expectation(c, ParamBinding.of(c, p, a)) - est.expectation(c, ParamBinding.of(c, p, b))) / (2 * h);
        }
        return new Gradient(est.expectation(c, ParamBinding.of(c, p, x)), dp, dx);
    }

    private static void assertClose(Gradient want, Gradient got, double tol) {
        assertEquals(want.value(), got.value(), 1e-12);
        for (int i = 0; i < want.params().length; i++) assertEquals(want.params()[i], got.params()[i], tol, "param " + i);
        for (int i = 0; i < want.inputs().length; i++) assertEquals(want.inputs()[i], got.inputs()[i], tol, "input " + i);
    }

    @Test
    void adjointAndParameterShiftMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(31);
        Observable o = Observable.parse("ZIZ", "0.5*XYI", "-0.7*IIY");
        AdjointDifferentiator adjoint = new AdjointDifferentiator(SIM);
        ParameterShift.Estimator exact = ParameterShift.exact(SIM, o);
        for (int t = 0; t < 30; t++) {
            Circuit c = randomParametric(rng, 3, 14);
            double[] p = {rng.nextDouble(-3, 3), rng.nextDouble(-3, 3), rng.nextDouble(-3, 3)};
            double[] x = {rng.nextDouble(-3, 3), rng.nextDouble(-3, 3)};
            Gradient fd = finiteDifferences(c, p, x, exact);
            assertClose(fd, adjoint.gradient(c, p, x, o), 1e-7);
            assertClose(fd, ParameterShift.gradient(c, p, x, exact), 1e-7);
        }
    }

    @Test
    void everyParameterizedGateKindHasCorrectShiftRule() {
        Observable o = Observable.parse("XZ", "YY", "0.3*ZX");
        for (GateKind k : GateKind.values()) {
            if (!k.isParameterized()) continue;
            for (int j = 0; j < k.numAngles(); j++) {
                ImmutableList.Builder<Angle> as = ImmutableList.builder();
                for (int i = 0; i < k.numAngles(); i++) as.add(i == j ? Angle.param("a").times(1.3).plus(0.2) : Angle.of(0.7 + i));
                int[] qs = k.numQubits() == 1 ? new int[] {1} : new int[] {1, 0};
                Circuit c = Circuit.builder("k", 2).params("a").h(0).gate(GateKind.RY, 0.4, 1).cx(0, 1)
                        .op(Op.Gate.of(k, as.build(), qs)).build();
                double[] p = {0.9};
                ParameterShift.Estimator exact = ParameterShift.exact(SIM, o);
                Gradient fd = finiteDifferences(c, p, new double[0], exact);
                assertClose(fd, ParameterShift.gradient(c, p, new double[0], exact), 1e-8);
                assertClose(fd, new AdjointDifferentiator(SIM).gradient(c, p, new double[0], o), 1e-8);
            }
        }
    }

    @Test
    void parameterShiftOnTheNoisySimulatorMatchesNoisyFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(32);
        Observable o = Observable.parse("ZZI", "IXX");
        DensityMatrixSimulator dm = new DensityMatrixSimulator(NoiseModel.depolarizing(0.02, 0.05).withAmplitudeDamping(0.01));
        ParameterShift.Estimator noisy = ParameterShift.noisy(dm, o);
        for (int t = 0; t < 4; t++) {
            Circuit c = randomParametric(rng, 3, 8);
            double[] p = {rng.nextDouble(-3, 3), rng.nextDouble(-3, 3), rng.nextDouble(-3, 3)};
            double[] x = {0.3, -0.4};
            // gate noise here does not depend on the angles, so the shift rules stay exact
            assertClose(finiteDifferences(c, p, x, noisy), ParameterShift.gradient(c, p, x, noisy), 1e-7);
        }
    }
}
