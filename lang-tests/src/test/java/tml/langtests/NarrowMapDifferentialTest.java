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
import tml.ir.loop.LoopInterpreter;
import tml.ir.loop.LoopParser;
import tml.ir.loop.LoopPrinter;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;
import tml.ir.loop.WeightBlob;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.runtime.Accumulation;
import tml.runtime.Interpreter;
import tml.runtime.Tensor;

/**
 * The host schedules for maps narrower than a vector give the interpreter's outputs within 1e-4
 * relative error: pointwise convolutions whose rows end one column past the last whole tile (7x7,
 * 9x9: the dot-product tail), and depthwise convolutions with outputs under 8 wide
 * (the grid schedule over the padded or phase-split plane), at stride 1 and 2, kernels 3 and 5,
 * symmetric, asymmetric and no padding, dilation 2, a batch of 2, fused ReLU and a residual add.
 * Each case checks that its schedule was chosen (the scratch buffer it names), that the program
 * verifies and prints and parses back, and runs it on the loop interpreter and natively at LLVM
 * -O0 and -O3 with the arena guard intact.
 */
class NarrowMapDifferentialTest {
    static final String SOURCE = """
            module narrow_cases

            network Pointwise(r: int, cin: int, cout: int, batch: int = 1) {
              input x: f32[batch, cin, r, r]
              output y = x |> pw: conv2d(cout, kernel=1) |> relu
            }

            network PointwiseResidual(r: int, c: int) {
              input x: f32[1, c, r, r]
              let y = x |> pw: conv2d(c, kernel=1, bias=false) |> bn: batch_norm
              output out = y + x
            }

            network Depthwise(r: int, c: int, k: int, stride: int, top: int, left: int, bottom: int, right: int, dilation: int = 1, batch: int = 1) {
              input x: f32[batch, c, r, r]
              output y = x |> dw: depthwise_conv2d(kernel=k, stride=stride, padding=(top, left, bottom, right), dilation=dilation) |> relu
            }
            """;

    record Case(String network, Map<String, String> params, String scratch) {
        @Override public String toString() { return network + params; }
    }

    static Map<String, String> dw(int r, int c, int k, int stride, int top, int left, int bottom, int right) {
        return Map.of("r", "" + r, "c", "" + c, "k", "" + k, "stride", "" + stride, "top", "" + top, "left", "" + left, "bottom", "" + bottom, "right", "" + right);
    }

    static final List<Case> CASES = List.of(
            new Case("Pointwise", Map.of("r", "7", "cin", "32", "cout", "40"), ".tail"),
            new Case("Pointwise", Map.of("r", "9", "cin", "24", "cout", "13"), ".tail"),
            new Case("Pointwise", Map.of("r", "7", "cin", "16", "cout", "30", "batch", "2"), ".tail"),
            new Case("PointwiseResidual", Map.of("r", "7", "c", "48"), ".tail"),
            new Case("Depthwise", dw(7, 12, 3, 1, 1, 1, 1, 1), ".sums"),
            new Case("Depthwise", dw(7, 9, 5, 1, 2, 2, 2, 2), ".sums"),
            new Case("Depthwise", dw(14, 10, 3, 2, 1, 1, 1, 1), ".sums"),
            new Case("Depthwise", dw(14, 7, 5, 2, 2, 2, 2, 2), ".sums"),
            new Case("Depthwise", dw(13, 6, 3, 2, 0, 1, 1, 0), ".sums"),
            new Case("Depthwise", dw(9, 5, 3, 1, 0, 0, 0, 0), ".sums"),
            new Case("Depthwise", withExtra(dw(7, 4, 3, 1, 2, 2, 2, 2), "dilation", "2"), ".sums"),
            new Case("Depthwise", withExtra(dw(7, 3, 3, 1, 1, 1, 1, 1), "batch", "2"), ".sums"));

    static Map<String, String> withExtra(Map<String, String> m, String k, String v) {
        Map<String, String> r = new LinkedHashMap<>(m);
        r.put(k, v);
        return r;
    }

    record Built(Case c, Program program, float[] blob, float[][] inputs, List<float[]> want) {}

    static final List<Built> built = new ArrayList<>();

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("narrow_cases.tml");
        Files.writeString(file, SOURCE);
        for (Case c : CASES) {
            Graph g = StdlibTest.elaborate(file.toString(), c.network(), c.params());
            Model reference = HostBackendDifferentialTest.wellConditioned(g, 5);
            Model m = PassManager.forLevel(3, "host").run(reference);
            Map<String, Tensor> in = HostBackendDifferentialTest.inputs(g, 6);
            Map<String, Tensor> want = new Interpreter(Accumulation.F32).run(g, in, reference.weights());
            Program p = HostBackend.plan(m.graph(), HostTarget.get()).program();
            Map<String, float[]> params = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> params.put(k, v.data()));
            float[][] x = g.inputs().stream().map(i -> in.get(i.name()).data()).toArray(float[][]::new);
            built.add(new Built(c, p, WeightBlob.pack(p, params), x, g.outputs().stream().map(o -> want.get(o.name()).data()).toList()));
        }
    }

    @Test
    void everyCaseTakesItsScheduleVerifiesAndRoundTrips() throws Exception {
        for (Built b : built) {
            assertTrue(b.program().buffers().stream().anyMatch(buf -> buf.name().endsWith(b.c().scratch())),
                    b.c() + ": expected a scratch buffer named *" + b.c().scratch() + "\n" + LoopPrinter.print(b.program()));
            assertEquals(List.of(), LoopVerifier.verify(b.program()), b.c().toString());
            String text = LoopPrinter.print(b.program());
            Program back = LoopParser.parse(text, "case.loop");
            assertEquals(b.program(), back, b.c() + " round trip");
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
