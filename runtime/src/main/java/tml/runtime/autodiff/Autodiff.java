package tml.runtime.autodiff;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.ir.graph.ShapeException;
import tml.ir.graph.ShapeRules;
import tml.ir.graph.TensorType;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;

/**
 * Reverse-mode automatic differentiation over the graph IR, in float64. {@link #forward} runs the
 * graph and keeps every value (a {@link Tape}); {@link #backward} takes the gradient of a scalar loss
 * with respect to some values (usually the outputs) and returns its gradient with respect to every
 * input, parameter and node, applying each op's rule ({@code OpRules}) in reverse topological order
 * and summing the contributions of values used several times.
 *
 * <p>The forward pass follows the reference interpreter's semantics in double precision (it does
 * not round to float32 between ops). Node shapes are re-inferred from the actual operands with
 * {@link ShapeRules}, so inputs may have another leading (batch) size than declared, as long as every
 * op accepts it (a {@code reshape} to a fixed shape does not). Parameters must have their declared
 * shapes. Stateless; safe to use from several threads.
 */
public final class Autodiff {
    private Autodiff() {}

    /** The values of one forward pass by name (inputs, params, nodes), kept for {@link #backward}. */
    public record Tape(Graph graph, ImmutableMap<String, DoubleTensor> values) {
        public DoubleTensor value(String name) {
            DoubleTensor v = values.get(name);
            if (v == null) throw new IllegalArgumentException("'" + name + "' is not a value of network " + graph.name());
            return v;
        }

        /** The value of output {@code outputName}. */
        public DoubleTensor output(String outputName) {
            for (Output o : graph.outputs()) if (o.name().equals(outputName)) return values.get(o.value());
            throw new IllegalArgumentException("network " + graph.name() + " has no output '" + outputName + "'");
        }
    }

    /** Runs {@code g} in float64 on the given inputs and parameters (every one required). */
    public static Tape forward(Graph g, Map<String, DoubleTensor> inputs, Map<String, DoubleTensor> params) {
        Map<String, DoubleTensor> values = new LinkedHashMap<>();
        for (Input i : g.inputs()) {
            DoubleTensor t = inputs.get(i.name());
            if (t == null) throw new TmlRuntimeException("cannot run network " + g.name() + ": input '" + i.name() + "' (" + i.type() + ") is not given");
            if (t.rank() != i.type().rank()) {
                throw new TmlRuntimeException("cannot run network " + g.name() + ": input '" + i.name() + "' has shape " + t.shape() + " but the network expects " + i.type());
            }
            values.put(i.name(), t);
        }
        for (Param p : g.params()) {
            DoubleTensor t = params.get(p.name());
            if (t == null) throw new TmlRuntimeException("cannot run network " + g.name() + ": parameter '" + p.name() + "' (" + p.type() + ") has no value");
            if (!t.shape().equals(p.type().shape())) {
                throw new TmlRuntimeException("cannot run network " + g.name() + ": parameter '" + p.name() + "' has shape " + t.shape() + " but the network expects " + p.type());
            }
            values.put(p.name(), t);
        }
        for (Node n : g.nodes()) {
            List<DoubleTensor> operands = operands(g, n, values);
            TensorType expected;
            try {
                expected = ShapeRules.infer(n.op(), operands.stream().map(DoubleTensor::type).toList());
            } catch (ShapeException e) {
                throw new TmlRuntimeException("network " + g.name() + ": node '" + n.name() + "': " + e.getMessage(), e);
            }
            DoubleTensor v = OpRules.forward(n.op(), operands);
            if (!v.shape().equals(expected.shape())) {
                throw new IllegalStateException("internal error: the float64 " + n.op().mnemonic() + " gave shape " + v.shape() + " but ShapeRules gives " + expected);
            }
            values.put(n.name(), v);
        }
        return new Tape(g, ImmutableMap.copyOf(values));
    }

    /** As {@link #forward} with float32 tensors (widened). */
    public static Tape forwardFloat(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        Map<String, DoubleTensor> in = new HashMap<>(), ps = new HashMap<>();
        inputs.forEach((k, v) -> in.put(k, DoubleTensor.of(v)));
        params.forEach((k, v) -> ps.put(k, DoubleTensor.of(v)));
        return forward(g, in, ps);
    }

    private static List<DoubleTensor> operands(Graph g, Node n, Map<String, DoubleTensor> values) {
        List<DoubleTensor> out = new ArrayList<>();
        for (String name : n.operands()) {
            DoubleTensor t = values.get(name);
            if (t == null) throw new TmlRuntimeException("network " + g.name() + ": node '" + n.name() + "' uses '" + name + "', which is not defined before it");
            out.add(t);
        }
        return out;
    }

    /**
     * The gradient of a scalar loss L with respect to every input, parameter and reached node, given
     * {@code seeds}: ∂L/∂v for some values v of the tape (by value name, each of v's shape). Inputs
     * and parameters that the loss does not depend on get zeros.
     */
    public static ImmutableMap<String, DoubleTensor> backward(Tape tape, Map<String, DoubleTensor> seeds) {
        Graph g = tape.graph();
        Map<String, DoubleTensor> grads = new HashMap<>();
        seeds.forEach((name, s) -> {
            DoubleTensor v = tape.value(name);
            if (!v.shape().equals(s.shape())) throw new IllegalArgumentException("the gradient of '" + name + "' has shape " + s.shape() + " but the value has " + v.shape());
            accumulate(grads, name, s);
        });
        for (Node n : g.nodes().reverse()) {
            DoubleTensor gOut = grads.get(n.name());
            if (gOut == null) continue;
            List<DoubleTensor> operands = operands(g, n, tape.values());
            DoubleTensor[] gIn = OpRules.backward(n.op(), operands, tape.value(n.name()), gOut);
            for (int i = 0; i < n.operands().size(); i++) {
                if (!gIn[i].shape().equals(operands.get(i).shape())) {
                    throw new IllegalStateException("internal error: the " + n.op().mnemonic() + " rule gave operand " + i + " a gradient of shape "
                            + gIn[i].shape() + " for a value of shape " + operands.get(i).shape());
                }
                accumulate(grads, n.operands().get(i), gIn[i]);
            }
        }
        ImmutableMap.Builder<String, DoubleTensor> out = ImmutableMap.builder();
        for (Input i : g.inputs()) out.put(i.name(), grads.getOrDefault(i.name(), DoubleTensor.zeros(tape.value(i.name()).shape())));
        for (Param p : g.params()) out.put(p.name(), grads.getOrDefault(p.name(), DoubleTensor.zeros(p.type().shape())));
        for (Node n : g.nodes()) if (grads.containsKey(n.name())) out.put(n.name(), grads.get(n.name()));
        return out.buildKeepingLast();
    }

    /** Adds a contribution; the first is copied, since rules may hand back their input gradient or a view of it. */
    private static void accumulate(Map<String, DoubleTensor> grads, String name, DoubleTensor contribution) {
        DoubleTensor sum = grads.get(name);
        if (sum == null) grads.put(name, contribution.copy());
        else sum.addInPlace(contribution);
    }

    /** The gradient of a loss written as one seed for one output: {@code backward(tape, {outputValue: seed})}. */
    public static ImmutableMap<String, DoubleTensor> backwardFromOutput(Tape tape, String outputName, DoubleTensor seed) {
        for (Output o : tape.graph().outputs()) {
            if (o.name().equals(outputName)) return backward(tape, Map.of(o.value(), seed));
        }
        throw new IllegalArgumentException("network " + tape.graph().name() + " has no output '" + outputName + "'");
    }
}
