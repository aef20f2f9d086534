package tml.runtime.quantum.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tml.ir.quantum.Circuit;
import tml.runtime.Tensor;

/** Saved parameters and the SVG curve. */
class OutputsTest {
    @Test
    void parametersAreGroupedIntoArraysByBaseName() {
        Circuit c = Fixtures.qnn(2, 2, 3, true); // a_l_q_k [3,2,3], b_l_q_k [3,2,3], c (a scalar)
        double[] p = new double[c.params().size()];
        for (int i = 0; i < p.length; i++) p[i] = i;
        Map<String, Tensor> t = ParamTensors.of(c, p);
        assertEquals(List.of("a", "b", "c"), List.copyOf(t.keySet()));
        assertEquals(List.of(3, 2, 3), t.get("a").shape());
        assertEquals(1f, t.get("a").data()[1]);
        assertEquals(18f, t.get("b").data()[0]);
        assertEquals(List.of(1), t.get("c").shape());
        assertEquals(36f, t.get("c").data()[0]);
    }

    @Test
    void curveIsWellFormedSvg() throws Exception {
        List<EpochStats> h = List.of(new EpochStats(1, 0.6, 0.7, 0.5, 0.75, Double.NaN, 1, 10), new EpochStats(2, 0.4, 0.8, 0.45, 0.8, Double.NaN, 2, 20));
        String svg = CurveSvg.render("a <b> & c", h);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getTagName());
        assertEquals(4, d.getElementsByTagName("polyline").getLength(), "two losses, two accuracies, no noisy series");
        assertTrue(svg.contains("a &lt;b&gt; &amp; c"));
    }
}
