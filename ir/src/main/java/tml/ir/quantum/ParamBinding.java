package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * Values for a circuit's parameters (in {@link Circuit#params()} order) and input features, used
 * to evaluate {@link Angle}s. The arrays are copied.
 */
public final class ParamBinding implements Angle.SymbolValues {
    private final ImmutableMap<String, Integer> paramIndex;
    private final double[] params;
    private final double[] inputs;

    private ParamBinding(ImmutableMap<String, Integer> paramIndex, double[] params, double[] inputs) {
        this.paramIndex = paramIndex;
        this.params = params;
        this.inputs = inputs;
    }

    public static ParamBinding of(Circuit c, double[] params, double[] inputs) {
        if (params.length != c.params().size())
            throw new IllegalArgumentException("circuit " + c.name() + " has " + c.params().size() + " parameter(s), got " + params.length + " value(s)");
        if (inputs.length != c.numInputs())
            throw new IllegalArgumentException("circuit " + c.name() + " has " + c.numInputs() + " input(s), got " + inputs.length + " value(s)");
        ImmutableMap.Builder<String, Integer> b = ImmutableMap.builder();
        for (int i = 0; i < c.params().size(); i++) b.put(c.params().get(i), i);
        return new ParamBinding(b.buildKeepingLast(), params.clone(), inputs.clone());
    }

    /** For circuits without parameters and inputs. */
    public static ParamBinding empty(Circuit c) { return of(c, new double[0], new double[0]); }

    @Override public double valueOf(Symbol s) {
        return switch (s) {
            case Symbol.Param p -> {
                Integer i = paramIndex.get(p.name());
                if (i == null) throw new IllegalArgumentException("unknown parameter " + p.name());
                yield params[i];
            }
            case Symbol.Input in -> {
                if (in.index() < 0 || in.index() >= inputs.length) throw new IllegalArgumentException("no input x[" + in.index() + "]");
                yield inputs[in.index()];
            }
        };
    }

    public double value(Angle a) { return a.evaluate(this); }

    /** The evaluated angles of a gate. */
    public double[] angles(Op.Gate g) {
        double[] v = new double[g.angles().size()];
        for (int i = 0; i < v.length; i++) v[i] = value(g.angles().get(i));
        return v;
    }

    /**
     * The circuit with every angle replaced by its value here (also under conditions), and no
     * parameters or inputs left.
     */
    public Circuit bind(Circuit c) {
        ImmutableList.Builder<Op> ops = ImmutableList.builder();
        for (Op op : c.ops()) ops.add(bind(op));
        return new Circuit(c.name(), c.numQubits(), c.numClbits(), ImmutableList.of(), 0, ops.build());
    }

    private Op bind(Op op) {
        return switch (op) {
            case Op.Gate g -> g.isNumeric() ? g : g.withAngles(g.angles().stream().map(a -> Angle.of(value(a))).collect(ImmutableList.toImmutableList()));
            case Op.Conditional k -> new Op.Conditional(k.firstClbit(), k.width(), k.value(), bind(k.body()));
            default -> op;
        };
    }

    /** Index of a parameter, or -1. */
    public int indexOf(String param) {
        Integer i = paramIndex.get(param);
        return i == null ? -1 : i;
    }

    public int numParams() { return params.length; }

    public int numInputs() { return inputs.length; }
}
