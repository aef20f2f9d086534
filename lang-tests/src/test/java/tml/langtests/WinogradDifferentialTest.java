package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.NativeModel;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.loop.Buffer;
import tml.ir.loop.LoopInterpreter;
import tml.ir.loop.LoopParser;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.ir.loop.WeightTransform;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * Convolutions lowered as Winograd F(2x2, 3x3) on the host give the interpreter's outputs within
 * 1e-4 relative error: odd and even output heights and widths, symmetric and asymmetric padding
 * (0 to 2), channel counts that are not multiples of the register tiles, a batch of 2, with and
 * without bias, and with a fused residual add and ReLU. Each case checks that the Winograd
 * schedule was really chosen (its program reads a packed weight), and runs on the loop interpreter
 * and as native code at LLVM -O0 and -O3.
 */
class WinogradDifferentialTest {
    static final String SOURCE = """
            module winograd_cases

            network Plain(h: int, w: int, cin: int, cout: int, top: int = 1, left: int = 1, bottom: int = 1, right: int = 1, batch: int = 1) {
              input x: f32[batch, cin, h, w]
              output y = x |> conv: conv2d(cout, kernel=3, padding=(top, left, bottom, right))
            }

            network Residual(h: int, w: int, c: int) {
              input x: f32[1, c, h, w]
              let y = x |> conv: conv2d(c, kernel=3, padding=1, bias=false) |> bn: batch_norm
              output out = relu(y + x)
            }
            """;

    record Case(String network, Map<String, String> params) {
        @Override public String toString() { return network + params; }
    }

    static final List<Case> CASES = List.of(
            new Case("Plain", Map.of("h", "14", "w", "14", "cin", "16", "cout", "16")),
            new Case("Plain", Map.of("h", "9", "w", "13", "cin", "19", "cout", "37")),
            new Case("Plain", Map.of("h", "8", "w", "7", "cin", "33", "cout", "17", "top", "0", "left", "2", "bottom", "1", "right", "0")),
            new Case("Plain", Map.of("h", "12", "w", "30", "cin", "16", "cout", "24", "top", "0", "left", "0", "bottom", "0", "right", "0")),
            new Case("Plain", Map.of("h", "6", "w", "9", "cin", "20", "cout", "16", "top", "2", "left", "2", "bottom", "2", "right", "2", "batch", "2")),
            new Case("Residual", Map.of("h", "10", "w", "11", "c", "24")),
            new Case("Residual", Map.of("h", "28", "w", "28", "c", "32")));

    record Built(Case c, Program program, float[] blob, float[][] inputs, List<float[]> want) {}

    static final List<Built> built = new ArrayList<>();

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("winograd_cases.tml");
        Files.writeString(file, SOURCE);
        for (Case c : CASES) {
            Graph g = StdlibTest.elaborate(file.toString(), c.network(), c.params());
            Model reference = HostBackendDifferentialTest.wellConditioned(g, 3);
            Model m = PassManager.forLevel(3, "host").run(reference);
            Map<String, Tensor> in = HostBackendDifferentialTest.inputs(g, 4);
            Map<String, Tensor> want = new Interpreter(Accumulation.F32).run(g, in, reference.weights());
            Program p = HostBackend.plan(m.graph(), HostTarget.get()).program();
            Map<String, float[]> params = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> params.put(k, v.data()));
            float[][] x = g.inputs().stream().map(i -> in.get(i.name()).data()).toArray(float[][]::new);
            built.add(new Built(c, p, WeightBlob.pack(p, params), x, g.outputs().stream().map(o -> want.get(o.name()).data()).toList()));
        }
    }

    @Test
    void everyCaseUsesThePackedWinogradWeightAndVerifies() {
        for (Built b : built) {
            long packed = b.program().ofRole(Buffer.Role.Weight.class).stream()
                    .filter(w -> ((Buffer.Role.Weight) w.role()).packed().map(p -> p.transform() == WeightTransform.WINOGRAD_F2X3).orElse(false))
                    .count();
            assertEquals(1, packed, b.c() + ": one Winograd-packed weight");
            assertEquals(List.of(), LoopVerifier.verify(b.program()), b.c().toString());
        }
    }

    @Test
    void loopTextWithPackedWeightsRoundTrips() throws Exception {
        for (Built b : built) {
            String text = LoopPrinter.print(b.program());
            assertTrue(text.contains("= winograd_f2x3(%conv."), b.c() + " prints the packing");
            Program back = LoopParser.parse(text, "case.loop");
            assertEquals(b.program(), back, b.c() + " round trip");
            assertEquals(text, LoopPrinter.print(back));
        }
    }

    @Test
    void loopInterpreterMatches() {
        for (Built b : built) {
            float[][] out = b.program().outputs().stream().map(o -> new float[Math.toIntExact(o.count())]).toArray(float[][]::new);
            new LoopInterpreter(b.program()).run(b.inputs(), b.blob(), out);
            compare(b, out, "loop interpreter");
        }
    }

    @Test
    void nativeCodeMatchesAtO0() { runNative(OptLevel.O0); }

    @Test
    void nativeCodeMatchesAtO3() { runNative(OptLevel.O3); }

    private static void runNative(OptLevel level) {
        List<Program> programs = built.stream().map(Built::program).toList();
        try (HostBackend.Library lib = HostBackend.compileLibrary(programs, level).get(0)) {
            for (int k = 0; k < built.size(); k++) {
                Built b = built.get(k);
                try (NativeModel m = lib.library().model(b.program(), lib.symbols().get(k), b.blob())) {
                    compare(b, m.run(b.inputs()), "native -" + level);
                    assertTrue(m.guardIntact(), b.c() + ": wrote past the planned arena");
                }
            }
        }
    }

    private static void compare(Built b, float[][] got, String where) {
        for (int i = 0; i < got.length; i++) {
            double err = HostBackendDifferentialTest.relativeError(got[i], b.want().get(i));
            assertTrue(err <= 1e-4, b.c() + " " + where + ": output " + i + " relative error " + err);
        }
    }
}
