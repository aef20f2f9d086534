package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphParser;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Input;
import tml.ir.graph.Node;
import tml.ir.graph.Op;
import tml.ir.graph.Verifier;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;
import tml.runtime.Weights;

/**
 * The standard-library models at small resolutions: at every -O level the interpreter's outputs on
 * the optimized model match the unoptimized model within 1e-4 relative error (L2), with batch-norm
 * statistics drawn at random so that folding them is a real change; and the passes do what they
 * claim on real networks (every batch norm of MobileNetV2 folded, fewer nodes at each level).
 */
class OptimizerDifferentialTest {

    record Case(String file, String network, Map<String, String> params) {
        @Override public String toString() { return network + params; }
    }

    static final List<Case> MODELS = List.of(
            new Case("stdlib/models/tiny_cnn.tml", "TinyCNN", Map.of()),
            new Case("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("resolution", "64", "classes", "10")),
            new Case("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("resolution", "48", "width", "0.35", "classes", "10")),
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", Map.of("resolution", "64", "classes", "10")),
            new Case("stdlib/models/mobilenet_v3.tml", "MobileNetV3Large", Map.of("resolution", "48", "classes", "10")),
            new Case("stdlib/models/mnasnet.tml", "MnasNet", Map.of("resolution", "48", "width", "0.5", "classes", "10")),
            new Case("stdlib/models/proxylessnas.tml", "ProxylessNASMobile", Map.of("resolution", "48", "classes", "10")),
            new Case("stdlib/models/resnet.tml", "ResNet18", Map.of("resolution", "48", "classes", "10")),
            new Case("stdlib/models/resnet.tml", "ResNet50", Map.of("resolution", "32", "classes", "10")));

    static Graph elaborate(Case c) { return StdlibTest.elaborate(c.file(), c.network(), c.params()); }

    /**
     * Seeded weights, with every batch norm's weight, bias, running mean and running variance drawn
     * from [0.5, 1.5), [-0.2, 0.2), [-0.2, 0.2) and [0.5, 2) (the defaults 1, 0, 0, 1 would make folding
     * nearly the identity).
     */
    static Model model(Graph g, long seed) {
        Map<String, Tensor> w = new LinkedHashMap<>(Weights.initialize(g, seed));
        SplittableRandom r = new SplittableRandom(seed);
        double[][] ranges = {{0.5, 1.5}, {-0.2, 0.2}, {-0.2, 0.2}, {0.5, 2.0}};
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof Op.BatchNorm)) continue;
            for (int k = 1; k <= 4; k++) {
                String p = n.operands().get(k);
                if (!g.isParam(p)) continue;
                Tensor t = Tensor.zeros(w.get(p).shape());
                for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) (ranges[k - 1][0] + r.nextDouble() * (ranges[k - 1][1] - ranges[k - 1][0]));
                w.put(p, t);
            }
        }
        return new Model(g, ImmutableMap.copyOf(w));
    }

    static Map<String, Tensor> inputs(Graph g, long seed) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (Input i : g.inputs()) {
            Tensor t = Tensor.zeros(i.type().shape());
            for (int k = 0; k < t.numel(); k++) t.data()[k] = (float) (2 * r.nextDouble() - 1);
            m.put(i.name(), t);
        }
        return m;
    }

    static double relativeError(Tensor a, Tensor b) {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.numel(); i++) {
            double d = (double) a.data()[i] - b.data()[i];
            diff += d * d;
            norm += (double) a.data()[i] * a.data()[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
    }

    @TestFactory
    Stream<DynamicTest> everyLevelMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : MODELS) {
            tests.add(DynamicTest.dynamicTest(c.toString(), () -> {
                Graph g = elaborate(c);
                Model reference = model(g, 7);
                Interpreter interp = new Interpreter(Accumulation.F32);
                Map<String, Tensor> in = inputs(g, 11);
                Map<String, Tensor> want = interp.run(g, in, reference.weights());
                StringBuilder report = new StringBuilder(c + ": nodes " + g.nodes().size());
                for (int level = 1; level <= 3; level++) {
                    Model opt = PassManager.forLevel(level, level == 3 ? "host" : "interp").run(reference);
                    assertEquals(List.of(), Verifier.verify(opt.graph()));
                    String text = GraphPrinter.print(opt.graph());
                    assertEquals(opt.graph(), GraphParser.parse(text, c.network() + ".tir"), "IR text round trip");
                    Map<String, Tensor> got = interp.run(opt.graph(), in, opt.weights());
                    double worst = 0;
                    for (String out : want.keySet()) {
                        double err = relativeError(want.get(out), got.get(out));
                        assertTrue(err <= 1e-4, c + " -O" + level + " output '" + out + "': relative error " + err);
                        worst = Math.max(worst, err);
                    }
                    report.append(String.format(", -O%d %d (rel. err %.1e)", level, opt.graph().nodes().size(), worst));
                }
                System.out.println(report);
            }));
        }
        return tests.stream();
    }

    static long count(Graph g, Class<? extends Op> kind) { return g.nodes().stream().filter(n -> kind.isInstance(n.op())).count(); }

    @Test
    void foldingRemovesEveryBatchNormOfMobileNetV2AndEachLevelShrinksIt() {
        Graph g = StdlibTest.elaborate("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of());
        Model m = Model.initialized(g, 0);
        assertEquals(52, count(g, Op.BatchNorm.class));
        int[] nodes = new int[4];
        for (int level = 0; level <= 3; level++) nodes[level] = PassManager.forLevel(level, "host").run(m).graph().nodes().size();
        Model o2 = PassManager.forLevel(2).run(m);
        assertEquals(0, count(o2.graph(), Op.BatchNorm.class), "batch norms left after -O2");
        assertTrue(o2.graph().params().stream().noneMatch(p -> p.name().contains("running_")), "batch-norm statistics left after -O2");
        assertEquals(nodes[0] - 52 - 35, nodes[2], "52 batch norms folded and 35 relu6 fused");
        assertEquals(nodes[2] - 10, nodes[3], "10 residual adds fused");
        assertTrue(nodes[1] <= nodes[0] && nodes[2] < nodes[1] && nodes[3] < nodes[2], java.util.Arrays.toString(nodes));
        System.out.println("MobileNetV2 1.0@224 nodes by level: " + java.util.Arrays.toString(nodes));

        Graph r = StdlibTest.elaborate("stdlib/models/resnet.tml", "ResNet18", Map.of());
        int[] rn = new int[4];
        for (int level = 0; level <= 3; level++) rn[level] = PassManager.forLevel(level, "host").run(Model.initialized(r, 0)).graph().nodes().size();
        assertTrue(rn[2] < rn[0] && rn[3] < rn[2], java.util.Arrays.toString(rn));
        System.out.println("ResNet18@224 nodes by level: " + java.util.Arrays.toString(rn));
    }
}
