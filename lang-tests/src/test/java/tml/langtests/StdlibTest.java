package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tml.frontend.Frontend;
import tml.frontend.ast.Decl;
import tml.frontend.diag.DiagnosticRenderer;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphParser;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.OpCost;
import tml.ir.graph.Verifier;

/** Every standard-library network elaborates cleanly, verifies, and round-trips through the IR text; published figures hold. */
class StdlibTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    static Graph elaborate(String file, String network, Map<String, String> params) {
        System.setProperty("tml.home", REPO.toString());
        Frontend fe = new Frontend(List.of());
        fe.load(REPO.resolve(file));
        Decl.Network net = fe.network(java.util.Optional.of(network)).orElse(null);
        Graph g = net == null ? null : fe.elaborate(net, params).orElse(null);
        String diags = String.join("", fe.diagnostics().all().stream().filter(d -> d.isError()).map(DiagnosticRenderer::text).toList());
        assertFalse(fe.diagnostics().hasErrors(), diags);
        assertTrue(g != null, "no graph for " + network);
        return g;
    }

    @TestFactory
    Stream<DynamicTest> everyNetworkRoundTrips() throws IOException {
        System.setProperty("tml.home", REPO.toString());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO.resolve("stdlib"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tml") && !p.toString().contains("/target/")).sorted().toList()) {
                Frontend fe = new Frontend(List.of());
                fe.load(f);
                for (Decl.Network n : fe.networks()) {
                    String rel = REPO.relativize(f).toString();
                    tests.add(DynamicTest.dynamicTest(rel + " " + n.name(), () -> {
                        Graph g = elaborate(rel, n.name(), Map.of());
                        assertEquals(List.of(), Verifier.verify(g));
                        String text = GraphPrinter.print(g);
                        Graph back = GraphParser.parse(text, rel + ".tir");
                        assertEquals(g, back, "graph IR round trip");
                        assertEquals(text, GraphPrinter.print(back));
                    }));
                }
            }
        }
        assertTrue(tests.size() >= 6, "expected the standard-library models, found " + tests.size());
        return tests.stream();
    }

    static long macs(Graph g) {
        return g.nodes().stream().mapToLong(n -> OpCost.macs(g, n)).sum();
    }

    @Test
    void mobileNetV2MatchesThePaperAndTorchvision() {
        Graph g = elaborate("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of());
        assertEquals(300e6, macs(g), 0.01 * 300e6, "MobileNetV2 1.0@224 multiply-accumulates (paper: 300M)");
        assertEquals(3_504_872, g.parameterCount(), "torchvision mobilenet_v2() parameter count");
    }

    @Test
    void torchvisionParameterCounts() {
        assertEquals(11_689_512, elaborate("stdlib/models/resnet.tml", "ResNet18", Map.of()).parameterCount());
        assertEquals(2_542_856, elaborate("stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", Map.of()).parameterCount());
        assertEquals(2_218_512, elaborate("stdlib/models/mnasnet.tml", "MnasNet", Map.of("width", "0.5")).parameterCount());
        assertEquals(4_383_312, elaborate("stdlib/models/mnasnet.tml", "MnasNet", Map.of()).parameterCount());
    }

    @Test
    void resNet18MultiplyAccumulates() {
        // torchvision lists 1.81 GFLOPS (multiply-accumulates) for resnet18 at 224x224.
        assertEquals(1.814e9, macs(elaborate("stdlib/models/resnet.tml", "ResNet18", Map.of())), 0.01e9);
    }
}
