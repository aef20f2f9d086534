package tml.runtime;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.ir.graph.Graph;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.Op.*;
import tml.ir.graph.Output;
import tml.ir.graph.Param;
import tml.ir.graph.ShapeException;
import tml.ir.graph.ShapeRules;
import tml.ir.graph.TensorType;
import tml.runtime.kernels.Conv2dKernel;
import tml.runtime.kernels.Elementwise;
import tml.runtime.kernels.LayoutKernels;
import tml.runtime.kernels.LinearKernels;
import tml.runtime.kernels.PoolKernels;
import tml.runtime.kernels.QuantumKernel;
import tml.runtime.kernels.SoftmaxKernel;

/**
 * The reference interpreter: runs a graph in float32 with PyTorch's semantics. It is the oracle that
 * every backend is checked against, so it is written to be obviously correct rather than fast.
 *
 * <p>Values of any declared element type are computed as float32. Sums of conv2d, linear, matmul and
 * pooling are accumulated in the chosen {@link Accumulation}; transcendental functions, batch norm
 * and softmax are evaluated in double and rounded once. Results do not depend on {@code parallel}.
 * An interpreter has no mutable state and may be shared between threads.
 */
public final class Interpreter {
    private final Accumulation accumulation;
    private final boolean parallel;

    /** Float32 accumulation, conv2d output channels computed in parallel. */
    public Interpreter() { this(Accumulation.F32, true); }

    public Interpreter(Accumulation accumulation) { this(accumulation, true); }

    /** @param parallel compute the output planes of conv2d on the common fork-join pool (same results). */
    public Interpreter(Accumulation accumulation, boolean parallel) {
        this.accumulation = accumulation;
        this.parallel = parallel;
    }

    public Accumulation accumulation() { return accumulation; }

    /**
     * Runs {@code g} and returns its outputs by output name, in declaration order. {@code inputs}
     * must hold exactly the graph's inputs and {@code params} at least its parameters (extra
     * entries are ignored), each with the declared shape.
     */
    public ImmutableMap<String, Tensor> run(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        Map<String, Tensor> values = execute(g, inputs, params, false);
        ImmutableMap.Builder<String, Tensor> out = ImmutableMap.builder();
        for (Output o : g.outputs()) out.put(o.name(), values.get(o.value()));
        return out.buildOrThrow();
    }

    /** Runs {@code g} and returns every value (inputs, parameters, nodes) by name, for debugging and for comparing backends node by node. */
    public ImmutableMap<String, Tensor> runAll(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        return ImmutableMap.copyOf(execute(g, inputs, params, true));
    }

    /** Applies one op to operand tensors, checking them with {@link ShapeRules} first. */
    public Tensor apply(Op op, List<Tensor> operands) {
        List<TensorType> types = operands.stream().map(Tensor::type).toList();
        TensorType expected;
        try {
            expected = ShapeRules.infer(op, types);
        } catch (ShapeException e) {
            throw new TmlRuntimeException(e.getMessage(), e);
        }
        Tensor result = kernel(op, operands);
        if (!result.shape().equals(expected.shape())) {
            throw new IllegalStateException("internal error: the " + op.mnemonic() + " kernel produced shape "
                    + result.shape() + " but ShapeRules gives " + expected);
        }
        return result;
    }

    private Map<String, Tensor> execute(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params, boolean keepAll) {
        checkBindings(g, inputs, params);
        Map<String, Tensor> values = new HashMap<>();
        for (Input i : g.inputs()) values.put(i.name(), inputs.get(i.name()));
        for (Param p : g.params()) values.put(p.name(), params.get(p.name()));
        Map<String, Integer> lastUse = new HashMap<>();
        for (int k = 0; k < g.nodes().size(); k++) {
            for (String operand : g.nodes().get(k).operands()) lastUse.put(operand, k);
        }
        Set<String> outputs = new HashSet<>();
        for (Output o : g.outputs()) outputs.add(o.value());
        for (int k = 0; k < g.nodes().size(); k++) {
            Node node = g.nodes().get(k);
            List<Tensor> operands = new ArrayList<>();
            for (String name : node.operands()) {
                Tensor t = values.get(name);
                if (t == null) {
                    throw new TmlRuntimeException("network " + g.name() + ": node '" + node.name() + "' uses '" + name
                            + "', which is not an input, a parameter or an earlier node");
                }
                operands.add(t);
            }
            Tensor result;
            try {
                result = apply(node.op(), operands);
            } catch (TmlRuntimeException e) {
                throw new TmlRuntimeException("network " + g.name() + ": node '" + node.name() + "': " + e.getMessage(), e);
            }
            if (!result.shape().equals(node.type().shape())) {
                throw new TmlRuntimeException("network " + g.name() + ": node '" + node.name() + "' declares type "
                        + node.type() + " but its operands give shape " + result.shape());
            }
            values.put(node.name(), result);
            if (!keepAll) {
                for (String name : node.operands()) {
                    if (lastUse.get(name) == k && !outputs.contains(name)) values.remove(name);
                }
            }
        }
        for (Output o : g.outputs()) {
            if (!values.containsKey(o.value())) {
                throw new TmlRuntimeException("network " + g.name() + ": output '" + o.name() + "' refers to '" + o.value()
                        + "', which is not a value of the network");
            }
        }
        return values;
    }

    private static void checkBindings(Graph g, Map<String, Tensor> inputs, Map<String, Tensor> params) {
        List<String> problems = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        for (Input i : g.inputs()) {
            declared.add(i.name());
            Tensor t = inputs.get(i.name());
            if (t == null) {
                problems.add("input '" + i.name() + "' (" + i.type() + ") is not given");
            } else if (!t.shape().equals(i.type().shape())) {
                problems.add("input '" + i.name() + "' has shape " + t.shape() + " but the network expects " + i.type());
            }
        }
        for (String name : inputs.keySet()) {
            if (!declared.contains(name)) {
                problems.add("'" + name + "' is not an input of the network (its inputs are: "
                        + String.join(", ", g.inputs().stream().map(Input::name).toList()) + ")");
            }
        }
        for (Param p : g.params()) {
            Tensor t = params.get(p.name());
            if (t == null) {
                problems.add("parameter '" + p.name() + "' (" + p.type() + ") has no value");
            } else if (!t.shape().equals(p.type().shape())) {
                problems.add("parameter '" + p.name() + "' has shape " + t.shape() + " but the network expects " + p.type());
            }
        }
        if (problems.size() == 1) {
            throw new TmlRuntimeException("cannot run network " + g.name() + ": " + problems.get(0));
        } else if (!problems.isEmpty()) {
            throw new TmlRuntimeException("cannot run network " + g.name() + ":\n  " + String.join("\n  ", problems));
        }
    }

    private Tensor kernel(Op op, List<Tensor> in) {
        return switch (op) {
            case Conv2d c -> Elementwise.fusion(c.fusion(),
                    Conv2dKernel.run(c, in.get(0), in.get(1), bias(in, c.fusion()), accumulation, parallel), in);
            case BatchNorm b -> Elementwise.batchNorm(b, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
            case Activation a -> Elementwise.activation(a.kind(), in.get(0));
            case Binary b -> Elementwise.binary(b.kind(), in.get(0), in.get(1));
            case BinaryScalar b -> Elementwise.binaryScalar(b, in.get(0));
            case Concat c -> LayoutKernels.concat(in, c.axis());
            case ChannelShuffle s -> LayoutKernels.channelShuffle(in.get(0), s.groups());
            case Pool2d p -> PoolKernels.pool2d(p, in.get(0), accumulation);
            case GlobalAvgPool gap -> PoolKernels.globalAvgPool(in.get(0), accumulation);
            case Linear l -> Elementwise.fusion(l.fusion(),
                    LinearKernels.linear(in.get(0), in.get(1), bias(in, l.fusion()), accumulation), in);
            case MatMul m -> LinearKernels.matmul(in.get(0), in.get(1), accumulation);
            case Softmax s -> SoftmaxKernel.run(in.get(0), s.axis());
            case Reshape r -> in.get(0).reshape(r.shape());
            case Flatten f -> LayoutKernels.flatten(in.get(0), f.startAxis());
            case Pad p -> LayoutKernels.pad(in.get(0), p.pads(), (float) p.value());
            case Dropout d -> in.get(0);
            case Quantum q -> QuantumKernel.run(q.circuit(), in.get(0), in.get(1));
        };
    }

    private static Tensor optional(List<Tensor> in, int i) { return in.size() > i ? in.get(i) : null; }

    /** The bias of a conv2d or linear (operand 2, if the operands go beyond the fusion's extra one), or null. */
    private static Tensor bias(List<Tensor> in, Fusion f) { return in.size() - f.extraOperands() > 2 ? in.get(2) : null; }
}
