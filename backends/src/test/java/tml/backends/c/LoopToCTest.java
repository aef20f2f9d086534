package tml.backends.c;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.NativeModel;
import tml.backends.llvm.OptLevel;
import tml.ir.loop.LoopInterpreter;
import tml.ir.loop.LoopParser;
import tml.ir.loop.LoopVerifier;
import tml.ir.loop.Program;

/**
 * The C export on hand-written loop IR that the lowering rarely produces: special float values
 * through exp, tanh, sqrt, min, max and comparisons; floor division and modulo of negative numbers;
 * 64-bit constants; a loop bound changed by its body; names that are C keywords or not identifiers
 * at all; an unread local; special weights. Compiled with strict gcc, it gives the LLVM backend's
 * bits and agrees with the loop interpreter.
 */
class LoopToCTest {
    @TempDir Path dir;

    static final String PROGRAM = """
            program @"odd name" {
              arena 64
              weights 32
              buffer %x : f32[8] input 0
              buffer %w : f32[8] weight 0
              buffer %"int" : f32[8] arena 0
              buffer %"a*/b" : f32[8] view %"int"
              buffer %y : f32[64] output 0
              buffer %"2nd" : f32[16] output 1
              kernel @main {
                for $i in 0 .. 8 vectorize(4) {
                  %"int"[$i] = %x[$i]
                }
              }
              kernel @"for" {
                for $in0 in 0 .. 8 {
                  var $x : f32 = %"a*/b"[$in0]
                  var $unused : f32 = 1.0
                  %y[$in0] = exp($x)
                  %y[$in0 + 8] = tanh($x)
                  %y[$in0 + 16] = sqrt($x)
                  %y[$in0 + 24] = f32(sqrt(f64($x) + 1.0d) * 0.5d)
                  %y[$in0 + 32] = min($x, 0.5) + max(NaN, $x)
                  var $b : bool = $x != $x || $x > 1.0 && $x < Infinity
                  %y[$in0 + 40] = select($b, -1.5, f32(index(select($x != $x, 0.0, min(max($x, -1.0E9), 1.0E9)) * 3.0) + 10))
                  %y[$in0 + 48] = f32(($in0 - 4) / 3) + f32(($in0 - 4) % 3) * 10.0
                  %y[$in0 + 56] = f32(100000 * 100000 / 1000000000 + (5000000000 - 4999999999) * $in0)
                }
              }
              kernel @w {
                var $n : index = 3
                var $int : index = 0
                for $j in 0 .. $n {
                  $n = $n + 1
                  $int = $int + 1
                }
                for $k in 0 .. 8 {
                  %"2nd"[$k] = %w[$k]
                  %"2nd"[$k + 8] = f32($int) + exp(f32($k) * 20.0 - 100.0)
                }
              }
            }
            """;

    @Test
    void edgeCasesCompileStrictlyAndGiveTheLlvmBackendsBits() throws Exception {
        Program p = LoopParser.parse(PROGRAM, "odd.loop");
        assertEquals(List.of(), LoopVerifier.verify(p));
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 1e-40f, 100f, -100f, 0.3f};
        float[] w = {1f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 1e-40f, 0.1f};
        CModel m = LoopToC.export(p, w, new LoopToC.Api("odd name", "odd", "edge cases */ /* ??= in a comment", List.of(), List.of()));
        assertEquals("odd_name", m.prefix());
        assertTrue(m.header().contains("int odd_name_forward(const float *in0, float *out0, float *out1);"), m.header());
        String c = m.source();
        for (String s : List.of("static void kernel_main(", "static void kernel_for(", "tml_floordiv(in0_2 - 4, 3)", "tml_floormod(in0_2 - 4, 3)",
                "/* vectorize(4) */", "(void)unused; /* not read */", "for (int64_t j = 0, j_end = n; j < j_end; j++)",
                "tml_floordiv((int64_t)100000 * 100000, 1000000000)", "(INT64_C(5000000000) - INT64_C(4999999999)) * in0_2", "-0x0p+0f", "0x1p-149f", "NAN,", "-INFINITY,",
                "float *int_2 = arena;", "const float *a__b = arena;", "int64_t int_2 = 0;", "x != x || (x > 1.0f && x < INFINITY)")) {
            assertTrue(c.contains(s), () -> "missing '" + s + "' in\n" + c);
        }
        assertFalse(c.contains("a*/b"), "a comment must not be closed by a name");

        Path exe = Gcc.build(m, 1, 2, dir, Gcc.STRICT);
        float[][] got = Gcc.run(exe, new float[][] {x}, new long[] {64, 16});
        float[][] llvm;
        try (HostBackend.Library lib = HostBackend.compileLibrary(List.of(p), OptLevel.O2).get(0);
             NativeModel nm = lib.library().model(p, lib.symbols().get(0), w)) {
            llvm = nm.run(x);
        }
        float[][] interp = {new float[64], new float[16]};
        new LoopInterpreter(p).run(new float[][] {x}, w, interp);
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < got[o].length; i++) {
                String at = "output " + o + "[" + i + "]: C " + got[o][i] + ", LLVM " + llvm[o][i] + ", interpreter " + interp[o][i];
                assertEquals(Float.floatToIntBits(llvm[o][i]), Float.floatToIntBits(got[o][i]), at);
                float e = interp[o][i], a = got[o][i];
                // 1e-37 absolute: for x in [-103.97, -87.34] the Cephes exp of the LLVM backend (and so of the C) clamps x and
                // gives about 1.2e-38, where the interpreter gives the subnormal e^x
                boolean close = Float.floatToIntBits(e) == Float.floatToIntBits(a) || Math.abs(a - e) <= 1e-6 * Math.abs(e) + 1e-37;
                assertTrue(close, at);
            }
        }
        assertEquals(3f, got[1][8], "the loop ran three times: its bound was evaluated once");
        assertEquals(-2f + 10 * 2, got[0][48], "floor division and modulo: -4 / 3 = -2, -4 % 3 = 2");
    }

    @Test
    void hexFloatsAreExact() {
        Random r = new Random(1);
        float[] special = {0f, -0f, 1f, -1f, 0.1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1e-40f, 3.0e-39f, 0.75f};
        for (int k = 0; k < 200_000; k++) {
            float v = k < special.length ? special[k] : Float.intBitsToFloat(r.nextInt());
            StringBuilder sb = new StringBuilder();
            CLiterals.appendHexF32(sb, v);
            String s = sb.toString();
            if (Float.isNaN(v)) {
                assertEquals("NAN", s);
            } else if (Float.isInfinite(v)) {
                assertEquals(v > 0 ? "INFINITY" : "-INFINITY", s);
            } else {
                assertTrue(s.matches("-?0x[0-9a-f]+(\\.[0-9a-f]+)?p[+-]\\d+f"), s);
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(Float.parseFloat(s)), s);
            }
        }
        StringBuilder sb = new StringBuilder();
        CLiterals.appendHexF32(sb, 3f);
        assertEquals("0x1.8p+1f", sb.toString());
        assertEquals("INT64_C(5000000000)", CLiterals.index(5_000_000_000L));
        assertEquals("INT64_MIN", CLiterals.index(Long.MIN_VALUE));
        assertEquals("1.0E-5f", CLiterals.f32(1e-5f));
        assertEquals("(double)NAN", CLiterals.f64(Double.NaN));
    }

    @Test
    void namesAreValidDistinctIdentifiers() {
        CNames file = CNames.fileScope();
        assertEquals("features_0_weight", file.fresh("features.0.weight"));
        assertEquals("features_0_weight_2", file.fresh("features/0/weight"));
        assertEquals("int_2", file.fresh("int"));
        assertEquals("v2nd", file.fresh("2nd"));
        assertEquals("v_x", file.fresh("_x"));
        assertEquals("v", file.fresh(""));
        assertEquals("caf_", file.fresh("café"));
        assertEquals("vtml_x", file.fresh("tml_x"));
        CNames kernel = file.child();
        assertEquals("features_0_weight_3", kernel.fresh("features.0.weight"));
        assertFalse(file.isTaken("features_0_weight_3"), "a child's names stay in the child");
        assertEquals("a* /b/ *c? ?= d?", CNames.comment("a*/b/*c??= d\n"));
    }
}
