package tml.ir.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>An attribute may be optional: it is then written only when present (its Java value is
 * {@code null} when absent), so that adding one leaves the text of every op without it unchanged.
 * The fused elementwise work of {@code conv2d} and {@code linear} ({@link Fusion}) is written so:
 * {@code epilogue = add} (the node's last operand is the other side), {@code epilogue = mul_scalar,
 * scalar = 0.5}, {@code activation = relu}.
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
        INTS("a list of integers"),
        /** One of a fixed set of bare words ({@link AttrSpec#words}): {@code activation = relu}. Java type String. */
        WORD("a name"),
        /** A double-quoted string with the escapes of quoted names: {@code circuit = "circuit c qubits 1 { h q[0] }"}. Java type String. */
        STRING("a quoted string");

        final String description;
        AttrKind(String description) { this.description = description; }
    }

    /** An attribute: its name, kind, whether it may be left out, and for {@link AttrKind#WORD} the words it accepts. */
    record AttrSpec(String name, AttrKind kind, boolean optional, ImmutableList<String> words) {}

    /**
     * The form of one mnemonic: its attributes in order, how to read them off an op (null for an absent
     * optional attribute), how to build the op ({@code make} throws {@link IllegalArgumentException} with
     * a message for a combination of attributes that makes no op).
     */
    record Form(String mnemonic, Class<? extends Op> recordClass, ImmutableList<AttrSpec> attrs,
                Function<Op, List<Object>> values, Function<List<Object>, Op> make) {}

    private static final Map<String, Form> FORMS = new LinkedHashMap<>();

    private static AttrSpec a(String name, AttrKind kind) { return new AttrSpec(name, kind, false, ImmutableList.of()); }

    private static AttrSpec optional(String name, AttrKind kind, List<String> words) {
        return new AttrSpec(name, kind, true, ImmutableList.copyOf(words));
    }

    /** The optional attributes of a {@link Fusion}, written after the op's own. */
    private static final List<AttrSpec> FUSION_ATTRS;
    static {
        List<String> epilogues = new ArrayList<>();
        for (BinKind k : BinKind.values()) epilogues.add(k.text);
        for (BinKind k : BinKind.values()) epilogues.add(k.text + "_scalar");
        List<String> activations = new ArrayList<>();
        for (ActKind k : ActKind.values()) activations.add(k.text);
        FUSION_ATTRS = List.of(optional("epilogue", AttrKind.WORD, epilogues), optional("scalar", AttrKind.DOUBLE, List.of()),
                optional("activation", AttrKind.WORD, activations));
    }

    private static List<AttrSpec> with(List<AttrSpec> own, List<AttrSpec> more) {
        List<AttrSpec> all = new ArrayList<>(own);
        all.addAll(more);
        return all;
    }

    /** {@code own} followed by the three fusion values (epilogue word, scalar, activation word; null when absent). */
    private static List<Object> withFusion(List<Object> own, Fusion f) {
        List<Object> v = new ArrayList<>(own);
        Epilogue e = f.epilogue().orElse(null);
        v.add(switch (e) {
            case null -> null;
            case Epilogue.WithOperand o -> o.kind().text;
            case Epilogue.WithScalar s -> s.kind().text + "_scalar";
        });
        v.add(e instanceof Epilogue.WithScalar s ? s.scalar() : null);
        v.add(f.activation().map(k -> k.text).orElse(null));
        return Arrays.asList(v.toArray());
    }

    /** The fusion from the three values at {@code from}; rejects a scalar without a scalar epilogue and vice versa. */
    private static Fusion fusion(List<Object> v, int from) {
        String epilogue = (String) v.get(from);
        Double scalar = (Double) v.get(from + 1);
        String activation = (String) v.get(from + 2);
        Optional<Epilogue> e = Optional.empty();
        if (epilogue != null) {
            boolean isScalar = epilogue.endsWith("_scalar");
            String kindText = isScalar ? epilogue.substring(0, epilogue.length() - "_scalar".length()) : epilogue;
            BinKind kind = Arrays.stream(BinKind.values()).filter(k -> k.text.equals(kindText)).findFirst().orElseThrow();
            if (isScalar && scalar == null) throw new IllegalArgumentException("epilogue '" + epilogue + "' needs attribute 'scalar'");
            if (!isScalar && scalar != null) {
                throw new IllegalArgumentException("attribute 'scalar' needs an epilogue with a scalar, such as '" + epilogue + "_scalar'");
            }
            e = Optional.of(isScalar ? new Epilogue.WithScalar(kind, scalar) : new Epilogue.WithOperand(kind));
        } else if (scalar != null) {
            throw new IllegalArgumentException("attribute 'scalar' needs an epilogue with a scalar, such as 'add_scalar'");
        }
        Optional<ActKind> act = activation == null ? Optional.empty()
                : Arrays.stream(ActKind.values()).filter(k -> k.text.equals(activation)).findFirst();
        return new Fusion(e, act);
    }

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
                with(List.of(a("stride", AttrKind.HW), a("padding", AttrKind.PADS), a("dilation", AttrKind.HW), a("groups", AttrKind.INT)),
                        FUSION_ATTRS),
                c -> withFusion(List.of(c.stride(), c.padding(), c.dilation(), c.groups()), c.fusion()),
                v -> new Conv2d((Hw) v.get(0), (Pads) v.get(1), (Hw) v.get(2), (Integer) v.get(3), fusion(v, 4)));
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
        def("linear", Linear.class, FUSION_ATTRS, l -> withFusion(List.of(), l.fusion()), v -> new Linear(fusion(v, 0)));
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
        def("quantum", Quantum.class, List.of(a("circuit", AttrKind.STRING)),
                q -> List.of(circuitText(q.circuit())), v -> new Quantum(circuit((String) v.get(0))));
    }

    /**
     * The circuit of a {@code quantum} op on one line: its {@link tml.ir.quantum.CircuitPrinter} text
     * with each newline and indentation made one space (newlines are not significant in that text).
     */
    static String circuitText(tml.ir.quantum.Circuit c) {
        return tml.ir.quantum.CircuitPrinter.print(c).strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** Reads {@link #circuitText} back; a malformed circuit is an {@link IllegalArgumentException} with its position in the string. */
    static tml.ir.quantum.Circuit circuit(String text) {
        try {
            return tml.ir.quantum.CircuitParser.parse(text);
        } catch (tml.ir.quantum.CircuitParseException e) {
            throw new IllegalArgumentException("attribute 'circuit': " + e.getMessage());
        }
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
