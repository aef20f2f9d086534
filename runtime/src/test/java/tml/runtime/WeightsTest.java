package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.ir.graph.Graph;
import tml.ir.graph.ParamInit;

class WeightsTest {
    @TempDir Path dir;

    private static Graph net() {
        return TestGraphs.named("Net")
                .input("x", 1, 512)
                .param("features.0.0.weight", new ParamInit.Uniform(0.5), 4, 3)
                .param("bn.weight", new ParamInit.Constant(1), 4)
                .param("bn.running_mean", new ParamInit.Constant(0), 4)
                .param("fc.weight", new ParamInit.Uniform(0.1), 1000, 512)
                .build();
    }

    private Path save(Map<String, Tensor> tensors) {
        Path file = dir.resolve("W.safetensors");
        Weights.save(tensors, file);
        return file;
    }

    private static Map<String, Tensor> goodTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("features.0.0.weight", Tensor.zeros(4, 3));
        m.put("bn.weight", Tensor.full(List.of(4), 2f));
        m.put("bn.running_mean", Tensor.zeros(4));
        m.put("fc.weight", Tensor.zeros(1000, 512));
        return m;
    }

    @Test void bindsAMatchingFile() {
        Weights.Binding b = Weights.fromSafetensors(net(), save(goodTensors()));
        assertTrue(b.ok(), b.problems().toString());
        assertEquals(List.of("features.0.0.weight", "bn.weight", "bn.running_mean", "fc.weight"), b.params().keySet().asList());
        assertEquals(Tensor.full(List.of(4), 2f), b.orThrow().get("bn.weight"));
    }

    @Test void missingTensor() {
        Map<String, Tensor> m = goodTensors();
        m.remove("features.0.0.weight");
        Weights.Binding b = Weights.fromSafetensors(net(), save(m));
        assertEquals(List.of("'features.0.0.weight' is missing from W.safetensors"), b.problems());
        assertFalse(b.params().containsKey("features.0.0.weight"));
        assertEquals(3, b.params().size());
    }

    @Test void shapeMismatch() {
        Map<String, Tensor> m = goodTensors();
        m.put("fc.weight", Tensor.zeros(10, 512));
        assertEquals(List.of("'fc.weight' has shape [10, 512] in the file but the network expects [1000, 512]"),
                Weights.fromSafetensors(net(), save(m)).problems());
    }

    @Test void unexpectedTensorWithSuggestion() {
        Map<String, Tensor> m = goodTensors();
        m.put("fc.wieght", Tensor.zeros(1));
        m.put("something.else.entirely", Tensor.zeros(1));
        assertEquals(List.of(
                "'fc.wieght' in W.safetensors is not a parameter of network Net (did you mean 'fc.weight'?)",
                "'something.else.entirely' in W.safetensors is not a parameter of network Net"),
                Weights.fromSafetensors(net(), save(m)).problems());
    }

    @Test void dataParallelPrefixIsPointedOut() {
        Map<String, Tensor> m = new LinkedHashMap<>(goodTensors());
        m.remove("features.0.0.weight");
        m.put("module.features.0.0.weight", Tensor.zeros(4, 3));
        var problems = Weights.fromSafetensors(net(), save(m)).problems();
        assertEquals(2, problems.size());
        assertTrue(problems.get(1).contains("did you mean 'features.0.0.weight'? the file's names carry an extra 'module.' prefix"),
                problems.get(1));
    }

    @Test void batchNormCounterIsIgnoredOnlyWhenTheBatchNormExists() {
        Map<String, Tensor> m = goodTensors();
        m.put("bn.num_batches_tracked", Tensor.scalar(100));
        m.put("other.num_batches_tracked", Tensor.scalar(100));
        Weights.Binding b = Weights.fromSafetensors(net(), save(m));
        assertEquals(1, b.problems().size());
        assertTrue(b.problems().get(0).startsWith("'other.num_batches_tracked' in W.safetensors is not a parameter"),
                b.problems().get(0));
        assertFalse(b.params().containsKey("bn.num_batches_tracked"));
    }

    @Test void integerDtypeForAFloatParameter() throws Exception {
        // A hand-made file whose bn.weight is stored as I64.
        Map<String, Tensor> m = goodTensors();
        m.remove("bn.weight");
        Path good = save(m);
        byte[] bytes = Files.readAllBytes(good);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        long dataLen = bytes.length - 8 - n;
        String patched = header.substring(0, header.length() - 1)
                + ",\"bn.weight\":{\"dtype\":\"I64\",\"shape\":[4],\"data_offsets\":[" + dataLen + "," + (dataLen + 32) + "]}}";
        byte[] h = patched.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + (int) dataLen + 32).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(bytes, 8 + (int) n, (int) dataLen);
        Path file = dir.resolve("I.safetensors");
        Files.write(file, out.array());
        assertEquals(List.of("'bn.weight' has integer dtype I64 in I.safetensors but the network expects a floating-point f32 parameter"),
                Weights.fromSafetensors(net(), file).problems());
    }

    @Test void everyProblemIsCollected() {
        Map<String, Tensor> m = goodTensors();
        m.remove("bn.weight");
        m.put("fc.weight", Tensor.zeros(10, 512));
        m.put("extra", Tensor.zeros(1));
        Weights.Binding b = Weights.fromSafetensors(net(), save(m));
        assertEquals(3, b.problems().size(), b.problems().toString());
        var e = assertThrows(TmlRuntimeException.class, b::orThrow);
        assertTrue(e.getMessage().startsWith("3 problems with the weights:"), e.getMessage());
    }

    @Test void corruptFileThrows() throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 2});
        assertThrows(TmlRuntimeException.class, () -> Weights.fromSafetensors(net(), file));
    }

    @Test void initializeIsDeterministicAndFollowsTheInit() {
        Map<String, Tensor> a = Weights.initialize(net(), 42), b = Weights.initialize(net(), 42);
        assertEquals(a, b);
        assertEquals(Tensor.full(List.of(4), 1f), a.get("bn.weight"));
        assertEquals(Tensor.zeros(4), a.get("bn.running_mean"));
        float[] fc = a.get("fc.weight").data();
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : fc) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertTrue(min >= -0.1f && max < 0.1f, min + " " + max);
        assertTrue(min < -0.099f && max > 0.099f, "spans the range: " + min + " " + max);
        assertEquals(0, sum / fc.length, 0.001);
        assertNotEquals(a.get("fc.weight"), Weights.initialize(net(), 43).get("fc.weight"));
    }

    @Test void initializeDependsOnTheNameNotOnOtherParams() {
        Graph small = TestGraphs.named("Small").param("fc.weight", new ParamInit.Uniform(0.1), 1000, 512).build();
        assertEquals(Weights.initialize(net(), 7).get("fc.weight"), Weights.initialize(small, 7).get("fc.weight"));
        Graph renamed = TestGraphs.named("Renamed").param("fc2.weight", new ParamInit.Uniform(0.1), 1000, 512).build();
        assertNotEquals(Weights.initialize(small, 7).get("fc.weight").data()[0], Weights.initialize(renamed, 7).get("fc2.weight").data()[0]);
    }

    @Test void savedInitialisationBindsBack() {
        Map<String, Tensor> init = Weights.initialize(net(), 1);
        Weights.Binding b = Weights.fromSafetensors(net(), save(init));
        assertTrue(b.ok(), b.problems().toString());
        assertEquals(init, b.params());
    }
}
