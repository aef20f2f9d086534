package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tml.ir.graph.Op.*;

/**
 * The textual form of every op: its mnemonic and its attributes, in the fixed order in which
 * {@link GraphPrinter} writes them and {@link GraphParser} expects all of them. This is the one
 * table to extend when an {@link Op} record is added (a test checks that every record kind has a
 * form).
 */
final class OpSyntax {
    private OpSyntax() {}

    /** What an attribute value looks like in the text and which Java value it becomes. */
    enum AttrKind {
        /** An int: {@code groups = 1}. Java type Integer. */
        INT("an integer"),
        /** A double, bit-exact: {@code eps = 1.0E-5}, {@code NaN}, {@code -Infinity}. Java type Double. */
        DOUBLE("a number"),
        /** {@code true} or {@code false}. Java type Boolean. */
        BOOL("true or false"),
        /** {@code [h,w]}. Java type {@link Hw}. */
        HW("a list of 2 integers [h,w]"),
        /** {@code [top,left,bottom,right]}. Java type {@link Pads}. */
        PADS("a list of 4 integers [top,left,bottom,right]"),
        /** {@code [a,b,...]}, possibly empty. Java type ImmutableList&lt;Integer&gt;. */
        INTS("a list of integers");

        final String description;
        AttrKind(String description) { this.description = description; }
    }

    record AttrSpec(String name, AttrKind kind) {}

    /** The form of one mnemonic: its attributes in order, how to read them off an op, how to build the op. */
    record Form(String mnemonic, Class<? extends Op> recordClass, ImmutableList<AttrSpec> attrs,
                Function<Op, List<Object>> values, Function<List<Object>, Op> make) {}

    private static final Map<String, Form> FORMS = new LinkedHashMap<>();

    private static AttrSpec a(String name, AttrKind kind) { return new AttrSpec(name, kind); }

    @SuppressWarnings("unchecked")
    private static <T extends Op> void def(String mnemonic, Class<T> cls, List<AttrSpec> attrs,
                                           Function<T, List<Object>> values, Function<List<Object>, T> make) {
        Form f = new Form(mnemonic, cls, ImmutableList.copyOf(attrs), op -> values.apply((T) op), make::apply);
        if (FORMS.put(mnemonic, f) != null) throw new AssertionError("duplicate mnemonic " + mnemonic);
    }

    @SuppressWarnings("unchecked")
    private static ImmutableList<Integer> ints(Object o) { return (ImmutableList<Integer>) o; }

    static {
        def("conv2d", Conv2d.class,
                List.of(a("stride", AttrKind.HW), a("padding", AttrKind.PADS), a("dilation", AttrKind.HW), a("groups", AttrKind.INT)),
                c -> List.of(c.stride(), c.padding(), c.dilation(), c.groups()),
                v -> new Conv2d((Hw) v.get(0), (Pads) v.get(1), (Hw) v.get(2), (Integer) v.get(3)));
        def("batch_norm", BatchNorm.class, List.of(a("eps", AttrKind.DOUBLE)),
                b -> List.of(b.eps()), v -> new BatchNorm((Double) v.get(0)));
        for (ActKind k : ActKind.values()) {
            def(k.text, Activation.class, List.of(), x -> List.of(), v -> new Activation(k));
        }
        for (BinKind k : BinKind.values()) {
            def(k.text, Binary.class, List.of(), x -> List.of(), v -> new Binary(k));
        }
        for (BinKind k : BinKind.values()) {
            def(k.text + "_scalar", BinaryScalar.class, List.of(a("scalar", AttrKind.DOUBLE), a("scalar_left", AttrKind.BOOL)),
                    s -> List.of(s.scalar(), s.scalarLeft()),
                    v -> new BinaryScalar(k, (Double) v.get(0), (Boolean) v.get(1)));
        }
        def("concat", Concat.class, List.of(a("axis", AttrKind.INT)),
                c -> List.of(c.axis()), v -> new Concat((Integer) v.get(0)));
        def("channel_shuffle", ChannelShuffle.class, List.of(a("groups", AttrKind.INT)),
                s -> List.of(s.groups()), v -> new ChannelShuffle((Integer) v.get(0)));
        for (PoolKind k : PoolKind.values()) {
            def(k.text, Pool2d.class,
                    List.of(a("kernel", AttrKind.HW), a("stride", AttrKind.HW), a("padding", AttrKind.PADS),
                            a("ceil_mode", AttrKind.BOOL), a("count_include_pad", AttrKind.BOOL)),
                    p -> List.of(p.kernel(), p.stride(), p.padding(), p.ceilMode(), p.countIncludePad()),
                    v -> new Pool2d(k, (Hw) v.get(0), (Hw) v.get(1), (Pads) v.get(2), (Boolean) v.get(3), (Boolean) v.get(4)));
        }
        def("global_avg_pool", GlobalAvgPool.class, List.of(), x -> List.of(), v -> new GlobalAvgPool());
        def("linear", Linear.class, List.of(), x -> List.of(), v -> new Linear());
        def("matmul", MatMul.class, List.of(), x -> List.of(), v -> new MatMul());
        def("softmax", Softmax.class, List.of(a("axis", AttrKind.INT)),
                s -> List.of(s.axis()), v -> new Softmax((Integer) v.get(0)));
        def("reshape", Reshape.class, List.of(a("shape", AttrKind.INTS)),
                r -> List.of(r.shape()), v -> new Reshape(ints(v.get(0))));
        def("flatten", Flatten.class, List.of(a("start_axis", AttrKind.INT)),
                f -> List.of(f.startAxis()), v -> new Flatten((Integer) v.get(0)));
        def("pad", Pad.class, List.of(a("pads", AttrKind.INTS), a("value", AttrKind.DOUBLE)),
                p -> List.of(p.pads(), p.value()), v -> new Pad(ints(v.get(0)), (Double) v.get(1)));
        def("dropout", Dropout.class, List.of(a("p", AttrKind.DOUBLE)),
                d -> List.of(d.p()), v -> new Dropout((Double) v.get(0)));
    }

    private static final ImmutableMap<String, Form> BY_MNEMONIC = ImmutableMap.copyOf(FORMS);

    static Optional<Form> form(String mnemonic) { return Optional.ofNullable(BY_MNEMONIC.get(mnemonic)); }

    /** The form of an op; every op kind has one. */
    static Form formOf(Op op) {
        Form f = BY_MNEMONIC.get(op.mnemonic());
        if (f == null || !f.recordClass().isInstance(op)) {
            throw new IllegalStateException("no textual form for op " + op + " (add it to OpSyntax)");
        }
        return f;
    }

    static ImmutableMap<String, Form> forms() { return BY_MNEMONIC; }
}
