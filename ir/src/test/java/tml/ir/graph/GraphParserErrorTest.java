package tml.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Syntax errors: each is reported as an IrParseException at an exact line and column. */
class GraphParserErrorTest {

    static final String HEAD = "graph @G {\n  input %x : f32[1,4,8,8]\n";

    static void fails(String text, String expected) {
        IrParseException e = assertThrows(IrParseException.class, () -> GraphParser.parseUnverified(text, "e.ir"));
        assertEquals(expected, e.getMessage());
        // parse() reports syntax errors the same way.
        IrParseException e2 = assertThrows(IrParseException.class, () -> GraphParser.parse(text, "e.ir"));
        assertEquals(expected, e2.getMessage());
    }

    @Test
    void exceptionCarriesItsParts() {
        IrParseException e = assertThrows(IrParseException.class, () -> GraphParser.parse("graph @G {\n  %y = conv3d(%x) : f32[1]\n}", "net.ir"));
        assertEquals("net.ir", e.fileName());
        assertEquals(2, e.line());
        assertEquals(8, e.column());
        assertEquals("unknown op 'conv3d'", e.detail());
        assertEquals("net.ir:2:8: error: unknown op 'conv3d'", e.getMessage());
    }

    @Test
    void fileStructure() {
        fails("", "e.ir:1:1: error: expected 'graph' at the start of the file, found the end of the file");
        fails("// only a comment\n", "e.ir:2:1: error: expected 'graph' at the start of the file, found the end of the file");
        fails("grap @G {}", "e.ir:1:1: error: expected 'graph' at the start of the file, found 'grap'");
        fails("graph G {}", "e.ir:1:7: error: expected '@name' after 'graph', found 'G'");
        fails("graph @G }", "e.ir:1:10: error: expected '{' after the graph name, found '}'");
        fails(HEAD, "e.ir:3:1: error: expected '}' to close graph @G, found the end of the file");
        fails(HEAD + "}\n}", "e.ir:4:1: error: expected the end of the file after the graph, found '}'");
        fails(HEAD + "  relu(%x)\n}", "e.ir:3:3: error: expected 'input', 'param', a node '%name = op(...)', 'output' or '}', found 'relu'");
        fails("graph @\"G\n\" {}", "e.ir:1:8: error: unterminated quoted name");
    }

    @Test
    void sectionsComeInOrder() {
        fails(HEAD + "  param @w : f32[1] = const(0.0)\n  input %y : f32[1]\n}",
                "e.ir:4:3: error: inputs must come before params, nodes and outputs");
        fails(HEAD + "  %r = relu(%x) : f32[1,4,8,8]\n  param @w : f32[1] = const(0.0)\n}",
                "e.ir:4:3: error: params must come before nodes and outputs");
        fails(HEAD + "  output %o = %x\n  %r = relu(%x) : f32[1,4,8,8]\n}",
                "e.ir:4:3: error: nodes must come before outputs");
    }

    @Test
    void declarations() {
        fails("graph @G {\n  input x : f32[1]\n}", "e.ir:2:9: error: expected '%name' after 'input', found 'x'");
        fails("graph @G {\n  input %x f32[1]\n}", "e.ir:2:12: error: expected ':' after value name, found 'f32'");
        fails("graph @G {\n  input %x : f64[1]\n}", "e.ir:2:14: error: unknown element type 'f64' (expected f32, f16, i8, i4 or i32)");
        fails("graph @G {\n  input %x : [1]\n}", "e.ir:2:14: error: expected a tensor type such as f32[1,3,224,224], found '['");
        fails("graph @G {\n  input %x : f32 1\n}", "e.ir:2:18: error: expected '[' and the shape after the element type, found '1'");
        fails("graph @G {\n  input %x : f32[1,-3]\n}", "e.ir:2:20: error: dimension -3 is negative");
        fails("graph @G {\n  input %x : f32[1 2]\n}", "e.ir:2:20: error: expected ',' or ']' in the shape, found '2'");
        fails("graph @G {\n  input %x : f32[1.5]\n}", "e.ir:2:18: error: expected an integer for a dimension, found '1.5'");
        fails("graph @G {\n  input %x : f32[99999999999]\n}", "e.ir:2:18: error: integer 99999999999 is out of range");
        fails("graph @G {\n  input %x : f32[2147483648]\n}", "e.ir:2:18: error: integer 2147483648 is out of range");
        fails("graph @G {\n  param w : f32[1] = const(0.0)\n}", "e.ir:2:9: error: expected '@name' after 'param', found 'w'");
        fails("graph @G {\n  param @w f32[1]\n}", "e.ir:2:12: error: expected ':' after param name, found 'f32'");
        fails("graph @G {\n  param @w : f32[1]\n}",
                "e.ir:3:1: error: expected '=' and an initializer (const(v), uniform(bound) or computed) after the param type, found '}'");
        fails("graph @G {\n  param @w : f32[1] = normal(1.0)\n}",
                "e.ir:2:23: error: expected an initializer 'const(v)', 'uniform(bound)' or 'computed', found 'normal'");
        fails("graph @G {\n  param @w : f32[1] = const(x)\n}",
                "e.ir:2:29: error: expected a number for the initializer value, found 'x'");
        fails("graph @G {\n  param @w : f32[1] = const(1.0 buffer\n}",
                "e.ir:2:33: error: expected ')' after the initializer value, found 'buffer'");
        fails("graph @G {\n  param @w : f32[1] = const(1.0) buffer buffer\n}",
                "e.ir:2:41: error: expected 'input', 'param', a node '%name = op(...)', 'output' or '}', found 'buffer'");
        fails("graph @G {\n  output o = %x\n}", "e.ir:2:10: error: expected '%name' after 'output', found 'o'");
        fails("graph @G {\n  output %o %x\n}", "e.ir:2:13: error: expected '=' after the output name, found '%x'");
        fails("graph @G {\n  output %o = x\n}", "e.ir:2:15: error: expected the output's value ('%name' or '@name'), found 'x'");
    }

    @Test
    void nodes() {
        fails(HEAD + "  %y relu(%x) : f32[1,4,8,8]\n}", "e.ir:3:6: error: expected '=' after value name, found 'relu'");
        fails(HEAD + "  %y = (%x) : f32[1,4,8,8]\n}", "e.ir:3:8: error: expected an op name after '=', found '('");
        fails(HEAD + "  %y = conv3d(%x) : f32[1,4,8,8]\n}", "e.ir:3:8: error: unknown op 'conv3d'");
        fails(HEAD + "  %y = relu %x : f32[1,4,8,8]\n}", "e.ir:3:13: error: expected '(' after op name 'relu', found '%x'");
        fails(HEAD + "  %y = relu(x) : f32[1,4,8,8]\n}", "e.ir:3:13: error: expected an operand ('%name' or '@name'), found 'x'");
        fails(HEAD + "  %y = add(%x %x) : f32[1,4,8,8]\n}", "e.ir:3:15: error: expected ',' or ')' in the operand list, found '%x'");
        fails(HEAD + "  %y = add(%x,) : f32[1,4,8,8]\n}", "e.ir:3:15: error: expected an operand ('%name' or '@name'), found ')'");
        fails(HEAD + "  %y = relu(%x) f32[1,4,8,8]\n}", "e.ir:3:17: error: expected ':' and the result type after relu(...), found 'f32'");
        fails(HEAD + "  %y = relu(% x) : f32[1,4,8,8]\n}", "e.ir:3:13: error: expected a name after '%'");
        fails(HEAD + "  %y = relu(%x) ; f32[1,4,8,8]\n}", "e.ir:3:17: error: unexpected character ';'");
        fails(HEAD + "  %y = relu(%x) / f32[1,4,8,8]\n}", "e.ir:3:17: error: unexpected character '/'");
        fails(HEAD + "  %y = relu(%x) \u00e9 f32[1,4,8,8]\n}", "e.ir:3:17: error: unexpected character U+00E9");
        fails(HEAD + "  %y = relu(%\"x) : f32[1,4,8,8]\n}", "e.ir:3:14: error: unterminated quoted name");
        fails(HEAD + "  %y = relu(%\"\\x\") : f32[1,4,8,8]\n}", "e.ir:3:15: error: unknown escape '\\x' in quoted name");
        fails(HEAD + "  %y = relu(%\"\\u12\") : f32[1,4,8,8]\n}", "e.ir:3:15: error: expected 4 hex digits after '\\u' in quoted name");
    }

    @Test
    void attributes() {
        String conv = HEAD + "  param @w : f32[4,4,3,3] = uniform(0.1)\n  %y = conv2d(%x, @w) ";
        fails(conv + "{strid = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,4,8,8]\n}",
                "e.ir:4:24: error: unknown attribute 'strid' for conv2d");
        fails(conv + "{stride = [1,1], padding = [1,1,1,1], dilation = [1,1]} : f32[1,4,8,8]\n}",
                "e.ir:4:8: error: missing attribute 'groups' for conv2d");
        fails(conv + ": f32[1,4,8,8]\n}", "e.ir:4:8: error: missing attribute 'stride' for conv2d");
        fails(conv + "{stride = [1,1], stride = [1,1]} : f32[1,4,8,8]\n}", "e.ir:4:40: error: duplicate attribute 'stride'");
        fails(conv + "{stride = [1,1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,4,8,8]\n}",
                "e.ir:4:33: error: attribute 'stride' of conv2d must be [h,w] (2 integers), got 3");
        fails(conv + "{stride = [1,1], padding = [1,1], dilation = [1,1], groups = 1} : f32[1,4,8,8]\n}",
                "e.ir:4:50: error: attribute 'padding' of conv2d must be [top,left,bottom,right] (4 integers), got 2");
        fails(conv + "{stride = 1, padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,4,8,8]\n}",
                "e.ir:4:33: error: attribute 'stride' of conv2d: expected '[' to start a list of integers, found '1'");
        fails(conv + "{stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1.0} : f32[1,4,8,8]\n}",
                "e.ir:4:88: error: expected an integer for attribute 'groups' of conv2d, found '1.0'");
        fails(conv + "{stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = true} : f32[1,4,8,8]\n}",
                "e.ir:4:88: error: expected an integer for attribute 'groups' of conv2d, found 'true'");
        fails(conv + "{stride = [1,1] padding = [1,1,1,1]} : f32[1,4,8,8]\n}",
                "e.ir:4:39: error: expected ',' or '}' in the attribute list, found 'padding'");
        fails(conv + "{stride [1,1]} : f32[1,4,8,8]\n}", "e.ir:4:31: error: expected '=' after attribute name 'stride', found '['");
        fails(conv + "{stride = [1;1]} : f32[1,4,8,8]\n}", "e.ir:4:35: error: unexpected character ';'");
        fails(conv + "{stride = [1,a]} : f32[1,4,8,8]\n}", "e.ir:4:36: error: expected an integer for a list element, found 'a'");
        fails(conv + "{1 = 2} : f32[1,4,8,8]\n}", "e.ir:4:24: error: expected an attribute name, found '1'");
        fails(HEAD + "  %y = relu(%x) {alpha = 0.1} : f32[1,4,8,8]\n}", "e.ir:3:18: error: unknown attribute 'alpha' for relu");
        fails(HEAD + "  %y = max_pool2d(%x) {kernel = [2,2], stride = [2,2], padding = [0,0,0,0], ceil_mode = 1, count_include_pad = true} : f32[1,4,4,4]\n}",
                "e.ir:3:89: error: attribute 'ceil_mode' of max_pool2d must be true or false, found '1'");
        fails(HEAD + "  %y = dropout(%x) {p = true} : f32[1,4,8,8]\n}",
                "e.ir:3:25: error: expected a number for attribute 'p' of dropout, found 'true'");
        fails(HEAD + "  %y = dropout(%x) {p = 1.} : f32[1,4,8,8]\n}", "e.ir:3:25: error: malformed number: expected a digit after '.'");
        fails(HEAD + "  %y = dropout(%x) {p = 1e} : f32[1,4,8,8]\n}", "e.ir:3:25: error: malformed number: expected a digit in the exponent");
        fails(HEAD + "  %y = dropout(%x) {p = -NaN} : f32[1,4,8,8]\n}", "e.ir:3:25: error: unexpected character '-'");
        fails(HEAD + "  %y = softmax(%x) {axis = -2147483649} : f32[1,4,8,8]\n}", "e.ir:3:28: error: integer -2147483649 is out of range");
    }

    @Test
    void sigilsMustMatchWhatTheyName() {
        fails(HEAD + "  param @w : f32[4] = const(1.0)\n  %y = add(%x, %w) : f32[1,4,8,8]\n}",
                "e.ir:4:16: error: '%w' is a param; write '@w'");
        fails(HEAD + "  %y = relu(@x) : f32[1,4,8,8]\n}", "e.ir:3:13: error: '@x' is not a param; write '%x'");
        fails(HEAD + "  param @w : f32[4] = const(1.0)\n  output %o = %w\n}", "e.ir:4:15: error: '%w' is a param; write '@w'");
        fails(HEAD + "  %\"a b\" = relu(%x) : f32[1,4,8,8]\n  output %o = @\"a b\"\n}",
                "e.ir:4:15: error: '@\"a b\"' is not a param; write '%\"a b\"'");
    }

    @Test
    void hugeAndOddInputs() throws IrParseException {
        String many = "graph @G {\n" + "  input %x : f32[1]\n".repeat(20000) + "}";
        assertEquals("big.ir:3:9: error: input 'x': the name is already used by an input",
                assertThrows(IrParseException.class, () -> GraphParser.parse(many, "big.ir")).getMessage());
        fails("graph @G {\n  input %x : f32[" + "9".repeat(100000) + "]\n}",
                "e.ir:2:18: error: integer " + "9".repeat(40) + "... is out of range");
        fails("graph @G {\n  input %x : " + "f".repeat(100000) + "[1]\n}",
                "e.ir:2:14: error: unknown element type 'ffffffffffffffffffffffffffffffffffffffff...' (expected f32, f16, i8, i4 or i32)");
        Graph g = GraphParser.parse("graph @G {\n  input %x : f32[" + "0".repeat(100000) + "1]\n  output %o = %x\n}", "e.ir");
        assertEquals(TensorType.f32(1), g.inputs().get(0).type());
        fails("\0", "e.ir:1:1: error: unexpected character U+0000");
        fails("graph @G {\n  input %x : f32[1]\n  output %o = %x\n}\n\u0000", "e.ir:5:1: error: unexpected character U+0000");
    }
}
