package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of verifier problem, on small graphs written in the textual form. */
class VerifierTest {

    /** The verifier's messages for a graph that parses (unverified). */
    static List<String> problems(String text) throws IrParseException {
        return Verifier.verify(GraphParser.parseUnverified(text, "v.ir"));
    }

    /** parse() must report {@code expected} (the first problem in text order). */
    static void parseFails(String text, String expected) {
        assertEquals(expected, assertThrows(IrParseException.class, () -> GraphParser.parse(text, "v.ir")).getMessage());
    }

    static final String OK = """
            graph @Ok {
              input %x : f32[1,4,8,8]
              param @w : f32[8,4,3,3] = uniform(0.16666666666666666)
              param @unused : f32[3] = const(0.0)
              %c = conv2d(%x, @w) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,8,8,8]
              %r = relu(%c) : f32[1,8,8,8]
              %dead = sigmoid(%c) : f32[1,8,8,8]
              output %y = %r
              output %x = %x
              output %w = @w
            }
            """;

    @Test
    void aValidGraphHasNoProblems() throws IrParseException {
        assertEquals(List.of(), problems(OK));
        Graph g = GraphParser.parse(OK, "ok.ir");
        Verifier.verifyOrThrow(g);
        assertEquals(ImmutableList.of(), Verifier.check(g));
    }

    @Test
    void duplicateNames() throws IrParseException {
        String text = """
                graph @G {
                  input %x : f32[1,4]
                  input %x : f32[1,4]
                  param @x : f32[4] = const(1.0)
                  param @w : f32[4] = const(1.0)
                  %w = relu(%x) : f32[1,4]
                  %r = relu(%x) : f32[1,4]
                  %r = sigmoid(%x) : f32[1,4]
                  output %o = %r
                }
                """;
        assertEquals(List.of(
                "input 'x': the name is already used by an input",
                "param 'x': the name is already used by an input",
                "node 'w': the name is already used by a param",
                "node 'r': the name is already used by a node"), problems(text));
        parseFails(text, "v.ir:3:9: error: input 'x': the name is already used by an input");
    }

    @Test
    void operandsMustBeDefinedBeforeUse() throws IrParseException {
        String text = """
                graph @G {
                  input %x : f32[1,4]
                  %a = add(%x, %b) : f32[1,4]
                  %b = relu(%nowhere) : f32[1,4]
                  %c = relu(%c) : f32[1,4]
                  output %o = %c
                }
                """;
        assertEquals(List.of(
                "node 'a': operand 'b' is used before it is defined",
                "node 'b': operand 'nowhere' is not defined",
                "node 'c': operand 'c' is used before it is defined"), problems(text));
        parseFails(text, "v.ir:3:16: error: node 'a': operand 'b' is used before it is defined");
    }

    @Test
    void undefinedParamReference() throws IrParseException {
        String text = "graph @G {\n  input %x : f32[1,4]\n  %a = add(%x, @nothing) : f32[1,4]\n  output %o = %a\n}";
        assertEquals(List.of("node 'a': operand 'nothing' is not defined"), problems(text));
        parseFails(text, "v.ir:3:16: error: node 'a': operand 'nothing' is not defined");
    }

    @Test
    void typesMustBeWhatShapeRulesInfer() throws IrParseException {
        String text = """
                graph @G {
                  input %x : f32[1,4,8,8]
                  param @w : f32[8,4,3,3] = uniform(0.1)
                  %c = conv2d(%x, @w) {stride = [2,2], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,8,8,8]
                  %d = conv2d(%x, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 3} : f32[1,8,6,6]
                  %r = relu(%c) : f16[1,8,8,8]
                  %s = add(%r, %x) : f32[1,8,8,8]
                  %t = relu(%x, %x) : f32[1,4,8,8]
                  %u = reshape(%x) {shape = [-16,-16]} : f32[16,16]
                  output %o = %s
                }
                """;
        assertEquals(List.of(
                "node 'c': declared type f32[1,8,8,8] but conv2d gives f32[1,8,4,4]",
                "node 'd': conv2d: 4 input channels are not divisible by groups=3",
                "node 'r': declared type f16[1,8,8,8] but relu gives f32[1,8,8,8]",
                "node 's': add: operands have different element types f16[1,8,8,8] and f32[1,4,8,8]",
                "node 't': relu takes 1 operands, got 2",
                "node 'u': reshape: dimension -16 of [-16, -16] is negative"), problems(text));
        // The type mismatch is reported at the declared type, the shape error at the op.
        parseFails(text, "v.ir:4:93: error: node 'c': declared type f32[1,8,8,8] but conv2d gives f32[1,8,4,4]");
        parseFails(text.replace("stride = [2,2]", "stride = [1,1]"),
                "v.ir:5:8: error: node 'd': conv2d: 4 input channels are not divisible by groups=3");
    }

    @Test
    void laterNodesAreCheckedAgainstDeclaredTypes() throws IrParseException {
        // A wrong declaration is reported once; users of the node are typed from what it declares.
        String text = "graph @G {\n  input %x : f32[2,3]\n  %a = relu(%x) : f32[3,2]\n  %b = sigmoid(%a) : f32[3,2]\n  output %o = %b\n}";
        assertEquals(List.of("node 'a': declared type f32[3,2] but relu gives f32[2,3]"), problems(text));
    }

    @Test
    void outputs() throws IrParseException {
        String text = """
                graph @G {
                  input %x : f32[1,4]
                  output %o = %x
                  output %o = %x
                  output %p = %missing
                }
                """;
        assertEquals(List.of("output 'o': duplicate output name", "output 'p': value 'missing' is not defined"), problems(text));
        parseFails(text, "v.ir:4:10: error: output 'o': duplicate output name");
        parseFails(text.replace("output %o = %x\n  output %o", "output %q = %x\n  output %o"),
                "v.ir:5:15: error: output 'p': value 'missing' is not defined");
    }

    @Test
    void atLeastOneOutput() throws IrParseException {
        String text = "graph @Empty {\n  input %x : f32[1]\n}\n";
        assertEquals(List.of("graph 'Empty' has no outputs"), problems(text));
        parseFails(text, "v.ir:3:1: error: graph 'Empty' has no outputs");
        assertEquals(List.of("graph 'E' has no outputs"), problems("graph @E {}"));
    }

    @Test
    void unusedParamsAndNodesAreFine() throws IrParseException {
        String text = "graph @G {\n  param @p : f32[2] = uniform(1.0)\n  output %o = @p\n}";
        assertEquals(List.of(), problems(text));
    }

    @Test
    void verifyOrThrowListsEveryProblem() throws IrParseException {
        Graph g = GraphParser.parseUnverified("graph @Bad {\n  input %x : f32[1]\n  input %x : f32[1]\n}", "b.ir");
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verifyOrThrow(g));
        assertEquals("Bad", e.graphName());
        assertEquals(List.of("input 'x': the name is already used by an input", "graph 'Bad' has no outputs"), e.problems());
        assertEquals("graph 'Bad' is invalid (2 problems)\n  input 'x': the name is already used by an input\n"
                + "  graph 'Bad' has no outputs", e.getMessage());
    }

    @Test
    void problemsSayWhereTheyAre() throws IrParseException {
        Graph g = GraphParser.parseUnverified("graph @G {\n  input %x : f32[1,4]\n  %a = add(%x, %zz) : f32[1,4]\n  output %o = %a\n}", "w.ir");
        Verifier.Problem p = Verifier.check(g).get(0);
        assertEquals(new Verifier.Problem(Verifier.Section.NODE, 0, Verifier.Part.OPERAND, 1,
                "node 'a': operand 'zz' is not defined"), p);
    }

    @Test
    void shapeRuleCrashesBecomeProblems() throws IrParseException {
        // Flatten of more than 2^31 elements used to throw ArithmeticException from ShapeRules.
        String text = "graph @G {\n  input %x : f32[65536,65536]\n  %f = flatten(%x) {start_axis = 0} : f32[1]\n  output %o = %f\n}";
        assertEquals(List.of("node 'f': flatten: f32[65536,65536] from axis 0 has too many elements for one axis"), problems(text));
        String pad = "graph @G {\n  input %x : f32[2147483647]\n  %f = pad(%x) {pads = [1,0], value = 0.0} : f32[1]\n  output %o = %f\n}";
        assertEquals(List.of("node 'f': padding makes axis 0 of f32[2147483647] too large"), problems(pad));
    }
}
