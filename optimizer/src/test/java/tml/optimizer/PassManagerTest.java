package tml.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tml.optimizer.OptimizerTesting.assertContains;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.Layout;
import tml.ir.graph.Node;

class PassManagerTest {

    static final String NET = """
            graph @Net {
              input %x : f32[1,3,8,8]
              param @conv.weight : f32[4,3,3,3] = uniform(0.2)
              param @bn.weight : f32[4] = uniform(1.0)
              param @bn.bias : f32[4] = uniform(0.5)
              param @bn.running_mean : f32[4] = uniform(0.5) buffer
              param @bn.running_var : f32[4] = const(2.0) buffer
              param @skip.weight : f32[4,3,1,1] = uniform(0.5)
              %a = relu(%x) : f32[1,3,8,8]
              %b = relu(%x) : f32[1,3,8,8]
              %conv = conv2d(%a, @conv.weight) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1} : f32[1,4,8,8]
              %bn = batch_norm(%conv, @bn.weight, @bn.bias, @bn.running_mean, @bn.running_var) {eps = 1.0E-5} : f32[1,4,8,8]
              %relu = relu(%bn) : f32[1,4,8,8]
              %skip = conv2d(%b, @skip.weight) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,4,8,8]
              %sum = add(%skip, %relu) : f32[1,4,8,8]
              %out = relu(%sum) : f32[1,4,8,8]
              output %y = %out
            }
            """;

    @Test
    void pipelinesPerLevel() {
        assertEquals(List.of(), PassManager.forLevel(0).names());
        assertEquals(List.of("eliminate-dead-code", "eliminate-common-subexpressions", "fold-constants", "eliminate-dead-code"),
                PassManager.forLevel(1).names());
        assertEquals(List.of("eliminate-dead-code", "eliminate-common-subexpressions", "fold-constants", "fold-batch-norm",
                "fuse-activation", "eliminate-dead-code"), PassManager.forLevel(2).names());
        assertEquals(List.of("eliminate-dead-code", "eliminate-common-subexpressions", "fold-constants", "fold-batch-norm",
                "fuse-elementwise", "fuse-activation", "choose-layout", "eliminate-dead-code"), PassManager.forLevel(3, "host").names());
        assertEquals(Set.copyOf(Passes.names()), Set.copyOf(PassManager.forLevel(3).names()), "-O3 runs every pass");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PassManager.forLevel(4));
        assertEquals("optimization level must be 0 to 3, got 4", e.getMessage());
    }

    @Test
    void levelZeroIsTheIdentity() {
        Model m = Model.initialized(OptimizerTesting.parse(NET), 0);
        assertSame(m, PassManager.forLevel(0).run(m));
    }

    @Test
    void eachLevelShrinksTheNetAndKeepsItsOutputs() {
        Model m = Model.initialized(OptimizerTesting.parse(NET), 0);
        int[] nodes = new int[4];
        for (int level = 0; level <= 3; level++) {
            Model out = PassManager.forLevel(level, "host").run(m);
            OptimizerTesting.assertSameOutputs(m, out, level);
            nodes[level] = out.graph().nodes().size();
        }
        assertEquals(8, nodes[0]);
        assertEquals(7, nodes[1]); // %b merges into %a
        assertEquals(5, nodes[2]); // batch norm folded, %relu fused into %conv
        assertEquals(3, nodes[3]); // %sum and %out fused into %skip
        Model o3 = PassManager.forLevel(3, "host").run(m);
        assertEquals(java.util.Optional.of(Layout.NHWC), o3.graph().layout());
        assertEquals(OptimizerTesting.parse("""
                graph @Net attributes {layout = nhwc} {
                  input %x : f32[1,3,8,8]
                  param @skip.weight : f32[4,3,1,1] = uniform(0.5)
                  param @conv.weight.folded : f32[4,3,3,3] = computed
                  param @conv.bias.folded : f32[4] = computed
                  %a = relu(%x) : f32[1,3,8,8]
                  %conv = conv2d(%a, @conv.weight.folded, @conv.bias.folded) {stride = [1,1], padding = [1,1,1,1], dilation = [1,1], groups = 1, activation = relu} : f32[1,4,8,8]
                  %skip = conv2d(%a, @skip.weight, %conv) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1, epilogue = add, activation = relu} : f32[1,4,8,8]
                  output %y = %skip
                }
                """), o3.graph());
        assertEquals(Set.of("skip.weight", "conv.weight.folded", "conv.bias.folded"), o3.weights().keySet());
    }

    @Test
    void fromNamesRunsThoseInOrderAndRejectsUnknownNames() {
        assertEquals(List.of("fold-batch-norm", "fuse-activation", "fold-batch-norm"),
                PassManager.fromNames("fold-batch-norm, fuse-activation,fold-batch-norm").names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PassManager.fromNames("fold-batchnorm,dce"));
        assertEquals("unknown pass 'fold-batchnorm' (did you mean 'fold-batch-norm'?); known passes: eliminate-common-subexpressions,"
                + " fold-constants, fold-batch-norm, fuse-elementwise, fuse-activation, choose-layout, eliminate-dead-code", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> PassManager.fromNames("dce"));
        assertTrue(e2.getMessage().startsWith("unknown pass 'dce'; known passes: "), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> PassManager.fromNames("fold-constants,"));
        assertTrue(e3.getMessage().startsWith("empty pass name in 'fold-constants,'; known passes: "), e3.getMessage());
    }

    @Test
    void printAfterWritesTheIrAfterTheChosenPasses() {
        Model m = Model.initialized(OptimizerTesting.parse(NET), 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Model out = PassManager.forLevel(2).printAfter(Set.of("fold-batch-norm", "eliminate-dead-code"), ps).run(m);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("// ---- IR after eliminate-dead-code ----\ngraph @Net {\n"), text);
        assertContains(text, "// ---- IR after fold-batch-norm ----\ngraph @Net {\n");
        assertTrue(text.endsWith("// ---- IR after eliminate-dead-code ----\n" + GraphPrinter.print(out.graph())), text);
        assertEquals(3, text.split("// ---- IR after ", -1).length - 1, text); // dead code runs first and last

        bytes.reset();
        PassManager.forLevel(3, "host").printAfter(PassManager.ALL, ps).run(m);
        assertEquals(8, bytes.toString(StandardCharsets.UTF_8).split("// ---- IR after ", -1).length - 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PassManager.forLevel(1).printAfter(Set.of("fuse-activation"), ps));
        assertEquals("pass 'fuse-activation' is not in the pipeline (eliminate-dead-code, eliminate-common-subexpressions,"
                + " fold-constants, eliminate-dead-code)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PassManager.forLevel(1).printAfter(Set.of("nope"), ps));
    }

    @Test
    void verifyEachNamesThePassThatBrokeTheGraph() {
        Pass broken = new Pass() {
            @Override public String name() { return "break-types"; }

            @Override public Model run(Model model) {
                Graph g = model.graph();
                Node n = g.nodes().get(0);
                Node bad = new Node(n.name(), n.op(), n.operands(), n.type().withShape(List.of(1)));
                ImmutableList<Node> nodes = ImmutableList.<Node>builder().add(bad).addAll(g.nodes().subList(1, g.nodes().size())).build();
                return new Model(new Graph(g.name(), g.inputs(), g.params(), nodes, g.outputs()), model.weights());
            }
        };
        Model m = Model.initialized(OptimizerTesting.parse(NET), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PassManager.of(List.of(broken)).run(m));
        assertTrue(e.getMessage().startsWith("the IR after pass 'break-types' does not verify: "), e.getMessage());
        PassManager.of(List.of(broken)).verifyEach(false).run(m); // unchecked when asked
    }

    @Test
    void aModelNeedsAValueOfTheRightShapeForEveryParamAndNothingElse() {
        Model m = Model.initialized(OptimizerTesting.parse(NET), 0);
        var weights = new java.util.LinkedHashMap<>(m.weights());
        weights.remove("bn.bias");
        weights.put("bn.weight", tml.runtime.Tensor.zeros(3));
        weights.put("stray", tml.runtime.Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Model(m.graph(), com.google.common.collect.ImmutableMap.copyOf(weights)));
        assertEquals("weights do not match the parameters of graph 'Net': parameter 'bn.weight' is declared f32[4] but its value"
                + " has shape [3]; parameter 'bn.bias' has no value; 'stray' has a value but is not a parameter", e.getMessage());
    }
}
