package tml.optimizer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tml.optimizer.OptimizerTesting.assertPass;

import org.junit.jupiter.api.Test;
import tml.ir.graph.Layout;

class ChooseLayoutTest {

    static final String BODY = """
              input %x : f32[1,2,4,4]
              %r = relu(%x) : f32[1,2,4,4]
              output %y = %r
            }
            """;

    @Test
    void nativeTargetsGetChannelsLastAndTheInterpreterKeepsNchw() {
        assertPass(new ChooseLayout("host"), "graph @G {\n" + BODY, "graph @G attributes {layout = nhwc} {\n" + BODY);
        assertPass(new ChooseLayout("cortex-m4"), "graph @G {\n" + BODY, "graph @G attributes {layout = nhwc} {\n" + BODY);
        assertPass(new ChooseLayout("interp"), "graph @G attributes {layout = nhwc} {\n" + BODY, "graph @G attributes {layout = nchw} {\n" + BODY);
        assertEquals(Layout.NHWC, ChooseLayout.layoutFor("cortex-m33"));
    }
}
