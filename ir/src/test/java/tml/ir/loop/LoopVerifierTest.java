package tml.ir.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.IrParseException;

/** Each kind of problem the verifier reports, on small programs in the textual form. */
class LoopVerifierTest {
    static List<String> problems(String kernels) throws IrParseException {
        String text = "program @p {\n arena 64\n weights 16\n buffer %x : f32[4] input 0\n buffer %w : f32[4] weight 0\n"
                + " buffer %y : f32[4] arena 0\n buffer %z : f32[4] output 0\n" + kernels + "}\n";
        return LoopVerifier.verify(LoopParser.parseUnverified(text, "v.loop"));
    }

    static void expect(String kernels, String problem) throws IrParseException {
        List<String> p = problems(kernels);
        assertTrue(p.stream().anyMatch(s -> s.contains(problem)), "expected '" + problem + "' in " + p);
    }

    @Test
    void validProgramHasNoProblems() throws IrParseException {
        assertEquals(List.of(), problems(" kernel @k {\n  for $i in 0 .. 4 vectorize(4) {\n   %y[$i] = %x[$i] * %w[3 - $i]\n  }\n"
                + "  for $i in 0 .. 4 {\n   %z[$i] = %y[$i]\n  }\n }\n"));
    }

    @Test
    void typesScopesAndBuffers() throws IrParseException {
        expect(" kernel @k {\n  %y[0] = 1\n }\n", "stores a index value into %y of f32");
        expect(" kernel @k {\n  %y[1.0] = 1.0\n }\n", "index into %y has type f32, not index");
        expect(" kernel @k {\n  %q[0] = 1.0\n }\n", "uses undeclared buffer %q");
        expect(" kernel @k {\n  %y[$i] = 1.0\n }\n", "uses undeclared $i");
        expect(" kernel @k {\n  for $i in 0 .. 4 {\n   $i = 2\n  }\n }\n", "assigns loop variable $i");
        expect(" kernel @k {\n  for $i in 0 .. 4 {\n   for $i in 0 .. 2 {}\n  }\n }\n", "$i is declared again");
        expect(" kernel @k {\n  %y[0] = 1.0 + 1.0d\n }\n", "'+' of f32 and f64");
        expect(" kernel @k {\n  %y[0] = exp(1.0d)\n }\n", "exp of f64 is not supported");
        expect(" kernel @k {\n  %y[0] = f32(2.0 % 1.0)\n }\n", "'%' is for index values");
        expect(" kernel @k {\n  if 1 {}\n }\n", "if condition has type index, not bool");
        expect(" kernel @k {\n  %w[0] = 1.0\n }\n", "stores to %w, which is read-only (a weight)");
    }

    @Test
    void boundsAndAnnotations() throws IrParseException {
        expect(" kernel @k {\n  for $i in 4 .. 0 {}\n }\n", "empty range 4 .. 0");
        expect(" kernel @k {\n  for $i in 0 .. %y[0] {}\n }\n", "upper bound has type f32, not index");
        expect(" kernel @k {\n  for $i in 0 .. index(%y[0]) {}\n }\n", "bounds must not load");
        expect(" kernel @k {\n  for $i in 0 .. 4 vectorize(3) {}\n }\n", "vector width 3 must be a power of two");
        expect(" kernel @k {\n  for $i in 0 .. 4 unroll(1) {}\n }\n", "unroll factor 1 must be at least 2");
        expect(" kernel @k {\n  for $i in 0 .. 5 {\n   %y[$i] = 0.0\n  }\n }\n", "index $i of %y ranges over [0, 4], outside the buffer's 4 elements");
        expect(" kernel @k {\n  for $i in 0 .. 4 {\n   %y[$i * 2 - 8] = 0.0\n  }\n }\n", "outside the buffer");
        // a clamped range is fine: the analysis only reports what is certainly outside
        assertEquals(List.of(), problems(" kernel @k {\n  for $j in 0 .. 3 {\n   for $i in max(0, $j - 1) .. min(4, $j + 2) {\n    %y[$i] = 0.0\n   }\n  }\n }\n"));
    }

    @Test
    void buffersAndPlan() throws IrParseException {
        String text = "program @p {\n arena 8\n weights 0\n buffer %a : f32[4] arena 0\n buffer %b : f32[4] view %c\n"
                + " buffer %c : f32[2] view %b\n buffer %i : f32[1] input 1\n buffer %s : f32[1] scratch 2\n}\n";
        List<String> p = LoopVerifier.verify(LoopParser.parseUnverified(text, "v.loop"));
        assertTrue(p.stream().anyMatch(s -> s.contains("extends past the arena of 8 bytes")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("views form a cycle")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("no buffer is input 0")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("offset 2 is not a multiple of 4")), p.toString());
    }
}
