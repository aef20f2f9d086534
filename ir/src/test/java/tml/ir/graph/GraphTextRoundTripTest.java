package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.*;
import tml.ir.graph.gen.RandomGraphs;

class GraphTextRoundTripTest {

    static Graph roundTrip(Graph g) throws IrParseException {
        String text = GraphPrinter.print(g);
        Graph back = GraphParser.parseUnverified(text, "rt.ir");
        assertEquals(g, back, text);
        assertEquals(text, GraphPrinter.print(back));
        return back;
    }

    @Test
    void thousandRandomGraphsRoundTripAndVerify() throws IrParseException {
        for (long seed = 0; seed < 1000; seed++) {
            Graph g = RandomGraphs.random(seed);
            String text = GraphPrinter.print(g);
            assertEquals(g, GraphParser.parse(text, "seed" + seed + ".ir"), text);
            roundTrip(g);
        }
    }

    @Test
    void randomGraphsWithExoticNamesRoundTrip() throws IrParseException {
        RandomGraphs.Options o = RandomGraphs.Options.defaults().withExoticNames(true).withNodes(5, 20);
        int quoted = 0;
        for (long seed = 0; seed < 300; seed++) {
            Graph g = RandomGraphs.random(seed, o);
            String text = GraphPrinter.print(g);
            if (text.contains("\"")) quoted++;
            assertEquals(g, GraphParser.parse(text, "x.ir"), text);
        }
        assertTrue(quoted > 100, "exotic names should need quoting often, got " + quoted);
    }

    static final String RESNET_STEM = """
            // The stem of torchvision's resnet18, by hand.
            graph @ResNet18 {
              input %image : f32[1,3,224,224]
              param @conv1.weight : f32[64,3,7,7] = uniform(0.0481125224324688)
              param @bn1.weight : f32[64] = const(1.0)
              param @bn1.bias : f32[64] = const(0.0)
              param @bn1.running_mean : f32[64] = const(0.0) buffer
              param @bn1.running_var : f32[64] = const(1.0) buffer
              param @fc.weight : f32[1000,64] = uniform(0.125)
              param @fc.bias : f32[1000] = uniform(0.125)
              %conv1 = conv2d(%image, @conv1.weight) {stride = [2,2], padding = [3,3,3,3], dilation = [1,1], groups = 1} : f32[1,64,112,112]
              %bn1 = batch_norm(%conv1, @bn1.weight, @bn1.bias, @bn1.running_mean, @bn1.running_var) {eps = 1.0E-5} : f32[1,64,112,112]
              %relu_0 = relu(%bn1) : f32[1,64,112,112]
              %maxpool = max_pool2d(%relu_0) {kernel = [3,3], stride = [2,2], padding = [1,1,1,1], ceil_mode = false, count_include_pad = true} : f32[1,64,56,56]
              %avgpool = global_avg_pool(%maxpool) : f32[1,64,1,1]
              %flatten_0 = flatten(%avgpool) {start_axis = 1} : f32[1,64]
              %fc = linear(%flatten_0, @fc.weight, @fc.bias) : f32[1,1000]
              output %logits = %fc
            }
            """;

    @Test
    void handWrittenResNetStem() throws IrParseException {
        Graph g = GraphParser.parse(RESNET_STEM, "resnet.ir");
        assertEquals("ResNet18", g.name());
        assertEquals(7, g.params().size());
        assertEquals(new Param("bn1.running_var", TensorType.f32(64), new ParamInit.Constant(1.0), true), g.params().get(4));
        assertEquals(new Node("conv1", new Conv2d(Hw.of(2), Pads.symmetric(3, 3), Hw.of(1), 1),
                ImmutableList.of("image", "conv1.weight"), TensorType.f32(1, 64, 112, 112)), g.nodes().get(0));
        assertEquals(new Output("logits", "fc"), g.outputs().get(0));
        assertEquals(64L * 3 * 7 * 7 + 128 + 64 * 1000 + 1000, g.parameterCount());
        // The printer's form is the hand-written one without the comment.
        assertEquals(RESNET_STEM.substring(RESNET_STEM.indexOf("graph")), GraphPrinter.print(g));
    }

    /** One node of every textual form (every mnemonic), typed by ShapeRules. */
    static Graph everyOp() {
        TensorType x = TensorType.f32(1, 4, 6, 6);
        List<Param> params = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        params.add(new Param("w", TensorType.f32(4, 2, 3, 3), new ParamInit.Uniform(0.2357022603955158)));
        params.add(new Param("b", TensorType.f32(4), new ParamInit.Uniform(-0.0)));
        params.add(new Param("one", TensorType.f32(4), new ParamInit.Constant(1.0), true));
        params.add(new Param("zero", TensorType.f32(4), new ParamInit.Constant(-0.0), true));
        params.add(new Param("fc", TensorType.f32(3, 6), new ParamInit.Uniform(Double.MIN_VALUE)));
        params.add(new Param("fcb", TensorType.f32(3), new ParamInit.Constant(Double.POSITIVE_INFINITY)));
        params.add(new Param("m", TensorType.f32(6, 2), new ParamInit.Constant(Double.NaN)));
        params.add(new Param("chan", TensorType.f32(4, 1, 1), new ParamInit.Uniform(1.0)));
        params.add(new Param("qnn.weights", TensorType.f32(3), new ParamInit.Uniform(Math.PI)));
        List<Op> unary = new ArrayList<>();
        for (ActKind k : ActKind.values()) unary.add(new Activation(k));
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.1 + 0.2,
            Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1e-5, -1e300};
        int s = 0;
        for (BinKind k : BinKind.values()) {
            unary.add(new BinaryScalar(k, specials[s++ % specials.length], false));
            unary.add(new BinaryScalar(k, specials[s++ % specials.length], true));
        }
        unary.add(new Dropout(0.5));
        unary.add(new Dropout(Double.NaN));
        unary.add(new Softmax(-1));
        unary.add(new Softmax(1));
        unary.add(new ChannelShuffle(2));
        String prev = "x";
        int i = 0;
        for (Op op : unary) nodes.add(node(params, nodes, "u" + i++, op, prev));
        nodes.add(node(params, nodes, "conv", new Conv2d(new Hw(1, 2), new Pads(1, 0, 2, 1), new Hw(2, 1), 2), "x", "w", "b"));
        nodes.add(node(params, nodes, "bn", new BatchNorm(1e-3), "conv", "one", "zero", "zero", "one"));
        for (BinKind k : BinKind.values()) nodes.add(node(params, nodes, k.text, new Binary(k), "x", "chan"));
        nodes.add(node(params, nodes, "cat", new Concat(-3), "x", "add", "x"));
        nodes.add(node(params, nodes, "maxp", new Pool2d(PoolKind.MAX, new Hw(3, 2), new Hw(2, 2), new Pads(1, 0, 1, 1), true, false), "cat"));
        nodes.add(node(params, nodes, "avgp", new Pool2d(PoolKind.AVG, Hw.of(2), Hw.of(1), Pads.NONE, false, true), "cat"));
        nodes.add(node(params, nodes, "gap", new GlobalAvgPool(), "cat"));
        nodes.add(node(params, nodes, "lin", new Linear(), "x", "fc", "fcb"));
        nodes.add(node(params, nodes, "lin_nb", new Linear(), "x", "fc"));
        nodes.add(node(params, nodes, "mm", new MatMul(), "x", "m"));
        nodes.add(node(params, nodes, "rs", new Reshape(ImmutableList.of(2, 2, 36)), "x"));
        nodes.add(node(params, nodes, "fl", new Flatten(-2), "x"));
        nodes.add(node(params, nodes, "pd", new Pad(ImmutableList.of(0, 0, 0, 0, 1, -1, 2, 0), Double.NEGATIVE_INFINITY), "x"));
        nodes.add(node(params, nodes, "gap_1", new GlobalAvgPool(), "u0"));
        nodes.add(node(params, nodes, "gap_2", new Reshape(ImmutableList.of(1, 4)), "gap_1"));
        nodes.add(node(params, nodes, "qnn", new Quantum(QuantumLayerTextTest.CIRCUIT), "gap_2", "qnn.weights"));
        nodes.add(node(params, nodes, "gap_3", new Pad(ImmutableList.of(0, 0, -1, -2), 0.0), "gap_2"));
        nodes.add(node(params, nodes, "1.2.3", new Reshape(ImmutableList.of()), "gap_3")); // a scalar, f32[]
        return new Graph("every op", ImmutableList.of(new Input("x", x)), ImmutableList.copyOf(params),
                ImmutableList.copyOf(nodes), ImmutableList.of(new Output("out", "pd"), new Output("w", "w"), new Output("in", "x")));
    }

    private static Node node(List<Param> params, List<Node> nodes, String name, Op op, String... operands) {
        return new Node(name, op, ImmutableList.copyOf(operands), infer(params, nodes, op, operands));
    }

    private static TensorType infer(List<Param> params, List<Node> nodes, Op op, String... operands) {
        Graph partial = new Graph("p", ImmutableList.of(new Input("x", TensorType.f32(1, 4, 6, 6))),
                ImmutableList.copyOf(params), ImmutableList.copyOf(nodes), ImmutableList.of());
        List<TensorType> in = new ArrayList<>();
        for (String o : operands) in.add(partial.typeOf(o).orElseThrow());
        try {
            return ShapeRules.infer(op, in);
        } catch (ShapeException e) {
            throw new AssertionError(op + ": " + e.getMessage());
        }
    }

    @Test
    void everyOpFormRoundTripsWithSpecialDoubles() throws IrParseException {
        Graph g = everyOp();
        assertEquals(ImmutableList.of(), Verifier.verify(g));
        Set<String> mnemonics = new HashSet<>();
        for (Node n : g.nodes()) mnemonics.add(n.op().mnemonic());
        assertEquals(OpSyntax.forms().keySet(), mnemonics, "the sample should use every op form");
        String text = GraphPrinter.print(g);
        assertTrue(text.contains("scalar = NaN"), text);
        assertTrue(text.contains("scalar = -Infinity"), text);
        assertTrue(text.contains("scalar = -0.0"), text);
        assertTrue(text.contains("scalar = 4.9E-324"), text);
        assertTrue(text.contains("uniform(-0.0)"), text);
        assertTrue(text.contains("const(NaN)"), text);
        assertTrue(text.contains("value = -Infinity"), text);
        assertTrue(text.contains(": f32[]"), text);
        Graph back = GraphParser.parse(text, "every.ir");
        assertEquals(g, back);
        // Record equality on doubles is bitwise (Double.compare): -0.0 and 0.0 differ, NaN equals NaN.
        BinaryScalar minusZero = (BinaryScalar) back.nodes().stream().filter(n -> n.op() instanceof BinaryScalar b
                && Double.doubleToRawLongBits(b.scalar()) == Double.doubleToRawLongBits(-0.0)).findFirst().orElseThrow().op();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(minusZero.scalar()));
    }

    @Test
    void everyOpRecordKindHasATextualForm() {
        Set<Class<?>> covered = new HashSet<>();
        for (OpSyntax.Form f : OpSyntax.forms().values()) covered.add(f.recordClass());
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            assertTrue(covered.contains(c), "no textual form for " + c.getSimpleName() + " in OpSyntax");
        }
        for (OpSyntax.Form f : OpSyntax.forms().values()) {
            Set<String> names = new HashSet<>();
            for (OpSyntax.AttrSpec a : f.attrs()) assertTrue(names.add(a.name()), f.mnemonic() + " repeats " + a.name());
        }
    }

    @Test
    void doublesRoundTripBitExactly() throws IrParseException {
        java.util.Random r = new java.util.Random(7);
        List<Param> ps = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double d = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern, NaNs included
                case 1 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
                case 2 -> (double) r.nextFloat();
                default -> r.nextInt(1000) / 1000.0;
            };
            if (Double.isNaN(d)) d = Double.NaN; // only the canonical NaN is printable
            ps.add(new Param("p" + i, TensorType.f32(1), i % 2 == 0 ? new ParamInit.Constant(d) : new ParamInit.Uniform(d), i % 3 == 0));
        }
        Graph g = new Graph("doubles", ImmutableList.of(), ImmutableList.copyOf(ps), ImmutableList.of(),
                ImmutableList.of(new Output("o", "p0")));
        Graph back = roundTrip(g);
        for (int i = 0; i < ps.size(); i++) {
            double a = value(ps.get(i).init()), b = value(back.params().get(i).init());
            assertEquals(Double.doubleToLongBits(a), Double.doubleToLongBits(b), "param " + i);
        }
    }

    private static double value(ParamInit init) {
        return switch (init) {
            case ParamInit.Constant c -> c.value();
            case ParamInit.Uniform u -> u.bound();
            case ParamInit.Computed c -> throw new AssertionError("no computed params here");
        };
    }

    @Test
    void anyJavaStringIsANameThatRoundTrips() throws IrParseException {
        java.util.Random r = new java.util.Random(11);
        List<Input> inputs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] fixed = {"", " ", "\"", "\\", "\\u0041", "a\nb", "\r\t\f\0", "ünï", "\uD83D\uDE00", "\uDC00\uD800",
            "%x", "@y", "//", "a.b", "3", "0.0.0", "...", "_", "-1", "f32[1]", "graph", "}"};
        for (String s : fixed) if (seen.add(s)) inputs.add(new Input(s, TensorType.f32(1)));
        while (inputs.size() < 500) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(8);
            for (int i = 0; i < len; i++) {
                sb.append(switch (r.nextInt(4)) {
                    case 0 -> (char) r.nextInt(0x10000);
                    case 1 -> (char) (0x20 + r.nextInt(0x5f));
                    case 2 -> "\"\\\n{}%@/,:=[]".charAt(r.nextInt(13));
                    default -> (char) ('a' + r.nextInt(26));
                });
            }
            if (seen.add(sb.toString())) inputs.add(new Input(sb.toString(), TensorType.f32(2)));
        }
        List<Output> outputs = new ArrayList<>();
        for (Input i : inputs) outputs.add(new Output(i.name(), i.name()));
        Graph g = new Graph("\uD800 any \" name", ImmutableList.copyOf(inputs), ImmutableList.of(), ImmutableList.of(),
                ImmutableList.copyOf(outputs));
        String text = GraphPrinter.print(g);
        assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "the printed form is printable ASCII");
        assertEquals(g, GraphParser.parse(text, "names.ir"));
    }

    @Test
    void bareAndQuotedNames() {
        assertEquals("features.3.conv.0.0", GraphPrinter.name("features.3.conv.0.0"));
        assertEquals("007", GraphPrinter.name("007"));
        assertEquals("\"weird name\"", GraphPrinter.name("weird name"));
        assertEquals("\"\"", GraphPrinter.name(""));
        assertEquals("\"a\\\"b\\\\c\\n\\u00e9\"", GraphPrinter.name("a\"b\\c\né"));
    }

    @Test
    void layoutCommentsAndAttributeOrderAreFree() throws IrParseException {
        String text = "// header\r\n"
                + "graph @G{input %x:f32[1,2,4,4] // trailing comment\r\n"
                + "  param @\"w\" : f32[2,2,1,1] = uniform(5e-1)   param @b:f32[2]=const(1)buffer\n"
                + "%y=conv2d(%x,@w,@b){groups=1,dilation=[1,1],\n padding=[0,0,0,0],stride=[1,1]}:f32[1,2,4,4]\n"
                + "%r = relu(%y) {} : f32[1,2,4,4]\n"
                + "output %\"y\" = %r output %also = @w }\n"
                + "// done";
        Graph g = GraphParser.parse(text, "free.ir");
        assertEquals(new ParamInit.Uniform(0.5), g.params().get(0).init());
        assertEquals(new ParamInit.Constant(1.0), g.params().get(1).init());
        assertTrue(g.params().get(1).buffer());
        assertEquals(new Conv2d(Hw.of(1), Pads.NONE, Hw.of(1), 1), g.nodes().get(0).op());
        assertEquals(List.of("x", "w", "b"), g.nodes().get(0).operands());
        assertEquals(new Output("also", "w"), g.outputs().get(1));
        Graph again = GraphParser.parse(GraphPrinter.print(g), "free2.ir");
        assertEquals(g, again);
        assertFalse(GraphPrinter.print(g).contains("//"));
    }

    @Test
    void printerWritesOperandsOfParamsWithAt() {
        String text = GraphPrinter.print(everyOp());
        assertTrue(text.contains("%conv = conv2d(%x, @w, @b) {stride = [1,2], padding = [1,0,2,1], dilation = [2,1], groups = 2}"), text);
        assertTrue(text.contains("output %w = @w"), text);
        assertTrue(text.contains("%1.2.3 = reshape(%gap_3) {shape = []} : f32[]"), text);
        assertEquals("softmax {axis = -1}", GraphPrinter.print(new Softmax(-1)));
        assertEquals("global_avg_pool", GraphPrinter.print(new GlobalAvgPool()));
    }

    @Test
    void invalidGraphsPrintAndReadBackUnverified() throws IrParseException {
        // Printing never fails; parseUnverified reads back what was printed, problems and all.
        Graph bad = new Graph("bad", ImmutableList.of(new Input("x", TensorType.f32(1, 3)), new Input("x", TensorType.f32(2))),
                ImmutableList.of(new Param("x", TensorType.f32(3), new ParamInit.Constant(0.0))),
                ImmutableList.of(new Node("y", new Activation(ActKind.RELU), ImmutableList.of("nowhere", "z"), TensorType.f32(9)),
                        new Node("z", new Concat(5), ImmutableList.of(), TensorType.f32())),
                ImmutableList.of());
        assertFalse(Verifier.verify(bad).isEmpty());
        roundTrip(bad);
    }
}
