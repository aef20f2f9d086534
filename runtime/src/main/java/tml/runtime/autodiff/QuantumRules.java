package tml.runtime.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import tml.ir.quantum.Circuit;
import tml.runtime.kernels.QuantumKernel;
import tml.runtime.quantum.AdjointDifferentiator;
import tml.runtime.quantum.Gradient;
import tml.runtime.quantum.Observable;
import tml.runtime.quantum.PauliString;

/**
 * The {@code quantum} layer in float64 and its backward rule. For row r with upstream gradient
 * g[r, q] of ⟨Z_q⟩, the chain rule needs Σ_q g[r,q]·∂⟨Z_q⟩/∂θ, which is the gradient of the single
 * observable O_r = Σ_q g[r,q]·Z_q: one adjoint-differentiation sweep per row
 * ({@link AdjointDifferentiator}) gives it for every parameter and every input feature at once.
 * Rows run in parallel; the parameter gradient is summed over rows in row order, so results do not
 * depend on the thread count.
 */
final class QuantumRules {
    private QuantumRules() {}

    static DoubleTensor forward(Circuit c, DoubleTensor x, DoubleTensor w) {
        int rows = Offsets.product(x.shape(), 0, x.rank() - 1);
        double[] z = QuantumKernel.expectations(c, x.data(), rows, w.data());
        List<Integer> shape = new ArrayList<>(x.shape());
        shape.set(shape.size() - 1, c.numQubits());
        return DoubleTensor.wrap(shape, z);
    }

    /** Gradients of the features and of the parameter vector. */
    static DoubleTensor[] backward(Circuit c, DoubleTensor x, DoubleTensor w, DoubleTensor g) {
        QuantumKernel.checkSize(c);
        int k = c.numInputs(), n = c.numQubits(), rows = Offsets.product(x.shape(), 0, x.rank() - 1);
        double[] params = w.data(), gd = g.data(), gx = new double[x.numel()];
        double[][] perRow = new double[rows][];
        IntStream range = IntStream.range(0, rows);
        (rows > 1 ? range.parallel() : range).forEach(r -> {
            List<PauliString> terms = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                double d = gd[r * n + q];
                if (d != 0) terms.add(PauliString.z(q).times(d));
            }
            if (terms.isEmpty()) return;
            double[] in = new double[k];
            System.arraycopy(x.data(), r * k, in, 0, k);
            Gradient grad = new AdjointDifferentiator(QuantumKernel.serial()).gradient(c, params, in, new Observable(com.google.common.collect.ImmutableList.copyOf(terms)));
            System.arraycopy(grad.inputs(), 0, gx, r * k, k);
            perRow[r] = grad.params();
        });
        double[] gw = new double[params.length];
        for (double[] p : perRow) {
            if (p == null) continue;
            for (int i = 0; i < gw.length; i++) gw[i] += p[i];
        }
        return new DoubleTensor[] {DoubleTensor.wrap(x.shape(), gx), DoubleTensor.wrap(w.shape(), gw)};
    }
}
