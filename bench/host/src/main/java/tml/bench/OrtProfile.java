package tml.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/**
 * ONNX Runtime's own time per graph node, to set beside {@code tmlc bench --profile}:
 * {@code OrtProfile MODEL.onnx INPUT.npy RUNS OUT.json}. Runs the model as {@code HostBench} does
 * (one thread, sequential, all graph optimizations) with ORT's profiler on, {@code RUNS} times after
 * as many warm-up runs, then writes, per node in first-run order, the median of its
 * {@code *_kernel_time} events over the timed runs: {@code {"nodes": [{"node", "op", "median_us"}]}}.
 * The profiler adds a little time per node, so its sum is a bit above an unprofiled run.
 */
public final class OrtProfile {
    private OrtProfile() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OrtProfile MODEL.onnx INPUT.npy RUNS OUT.json");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[2]);
        Tensor x = Npy.read(Path.of(args[1]));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path prefix = Files.createTempDirectory("ort-profile").resolve("ort");
        Path profile;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.enableProfiling(prefix.toString());
            try (OrtSession s = env.createSession(args[0], so)) {
                long[] shape = x.shape().stream().mapToLong(Integer::longValue).toArray();
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape)) {
                    Map<String, OnnxTensor> feed = Map.of(s.getInputNames().iterator().next(), in);
                    for (int i = 0; i < 2 * runs; i++) s.run(feed).close();
                }
                profile = Path.of(s.endProfiling());
            }
        }
        // every node's kernel times, in event order: the first `runs` calls are the warm-up
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, String> ops = new LinkedHashMap<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(profile)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            String name = o.get("name").getAsString();
            if (!"Node".equals(o.get("cat").getAsString()) || !name.endsWith("_kernel_time")) continue;
            String node = name.substring(0, name.length() - "_kernel_time".length());
            times.computeIfAbsent(node, k -> new ArrayList<>()).add(o.get("dur").getAsLong());
            ops.putIfAbsent(node, o.getAsJsonObject("args").get("op_name").getAsString());
        }
        Files.deleteIfExists(profile);
        StringBuilder json = new StringBuilder("{\"nodes\": [");
        String sep = "";
        for (var e : times.entrySet()) {
            List<Long> timed = new ArrayList<>(e.getValue().subList(Math.min(runs, e.getValue().size() - 1), e.getValue().size()));
            timed.sort(null);
            double median = timed.size() % 2 == 1 ? timed.get(timed.size() / 2) : (timed.get(timed.size() / 2 - 1) + timed.get(timed.size() / 2)) / 2.0;
            json.append(sep).append(String.format(Locale.ROOT, "{\"node\": \"%s\", \"op\": \"%s\", \"median_us\": %.1f}",
                    e.getKey().replace("\\", "\\\\").replace("\"", "\\\""), ops.get(e.getKey()), median));
            sep = ", ";
        }
        Files.writeString(Path.of(args[3]), json.append("]}\n").toString());
    }
}
