package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.*;
import tml.ir.graph.*;

/** Per-layer and total figures of a graph: output shapes, MACs, parameter counts, activation sizes. */
record GraphReport(Graph graph, ImmutableList<Row> rows, long macs, long params, long buffers, long weightBytes,
                   long largestActivation, long layerPeak, String layerPeakAt) {

    record Row(String name, String op, TensorType type, long macs, long params, long activationBytes) {}

    static GraphReport of(Graph g) {
        Map<String, TensorType> types = g.types();
        Map<String, Param> params = new HashMap<>();
        g.params().forEach(p -> params.put(p.name(), p));
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        long macs = 0, largest = 0, peak = 0;
        String peakAt = "";
        for (Input in : g.inputs()) largest = Math.max(largest, in.type().bytes());
        for (Node n : g.nodes()) {
            long m = OpCost.macs(g, n);
            long p = 0, inBytes = 0;
            Set<String> seen = new HashSet<>();
            for (String operand : n.operands()) {
                if (!seen.add(operand)) continue;
                Param param = params.get(operand);
                if (param != null) {
                    if (!param.buffer()) p += param.type().numel();
                } else {
                    inBytes += types.get(operand).bytes();
                }
            }
            rows.add(new Row(n.name(), n.op().mnemonic(), n.type(), m, p, n.type().bytes()));
            macs += m;
            largest = Math.max(largest, n.type().bytes());
            if (inBytes + n.type().bytes() > peak) {
                peak = inBytes + n.type().bytes();
                peakAt = n.name();
            }
        }
        long trainable = g.parameterCount();
        long buffers = g.params().stream().filter(Param::buffer).mapToLong(x -> x.type().numel()).sum();
        long bytes = g.params().stream().mapToLong(x -> x.type().bytes()).sum();
        return new GraphReport(g, rows.build(), macs, trainable, buffers, bytes, largest, peak, peakAt);
    }

    static String human(long v) {
        if (v >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        if (v >= 1_000_000L) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (v >= 1_000L) return String.format(Locale.ROOT, "%.2fK", v / 1e3);
        return Long.toString(v);
    }

    String toText(boolean listParams) {
        StringBuilder sb = new StringBuilder();
        int nameWidth = Math.max(5, Math.min(48, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5)));
        int typeWidth = Math.max(6, rows.stream().mapToInt(r -> r.type().toString().length()).max().orElse(6));
        String fmt = "%-" + nameWidth + "s  %-15s  %-" + typeWidth + "s  %12s  %10s  %12s%n";
        sb.append("network ").append(graph.name()).append('\n');
        for (Input in : graph.inputs()) sb.append("input ").append(in.name()).append(": ").append(in.type()).append('\n');
        sb.append(String.format(Locale.ROOT, fmt, "layer", "op", "output", "MACs", "params", "activation"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.op(), r.type(), r.macs() == 0 ? "-" : String.format(Locale.ROOT, "%,d", r.macs()),
                    r.params() == 0 ? "-" : String.format(Locale.ROOT, "%,d", r.params()), String.format(Locale.ROOT, "%,d B", r.activationBytes())));
        }
        for (Output o : graph.outputs()) sb.append("output ").append(o.name()).append(" = ").append(o.value()).append('\n');
        sb.append(String.format(Locale.ROOT, "total MACs: %,d (%s)%n", macs, human(macs)));
        sb.append(String.format(Locale.ROOT, "total params: %,d (%s)%n", params, human(params)));
        sb.append(String.format(Locale.ROOT, "buffers: %,d%n", buffers));
        sb.append(String.format(Locale.ROOT, "weight bytes: %,d%n", weightBytes));
        sb.append(String.format(Locale.ROOT, "largest activation: %,d B%n", largestActivation));
        sb.append(String.format(Locale.ROOT, "layer-by-layer peak (inputs + output of one layer): %,d B at %s%n", layerPeak, layerPeakAt));
        if (listParams) {
            sb.append("params:\n");
            for (Param p : graph.params()) {
                sb.append(String.format(Locale.ROOT, "  %s  %s  %,d%s%n", p.name(), p.type(), p.type().numel(), p.buffer() ? "  (buffer)" : ""));
            }
        }
        return sb.toString();
    }

    JsonObject toJson(boolean listParams) {
        JsonObject o = new JsonObject();
        o.addProperty("network", graph.name());
        JsonArray inputs = new JsonArray();
        for (Input in : graph.inputs()) {
            JsonObject i = new JsonObject();
            i.addProperty("name", in.name());
            i.addProperty("type", in.type().toString());
            inputs.add(i);
        }
        o.add("inputs", inputs);
        JsonArray layers = new JsonArray();
        for (Row r : rows) {
            JsonObject l = new JsonObject();
            l.addProperty("name", r.name());
            l.addProperty("op", r.op());
            l.addProperty("output", r.type().toString());
            JsonArray shape = new JsonArray();
            r.type().shape().forEach(shape::add);
            l.add("shape", shape);
            l.addProperty("macs", r.macs());
            l.addProperty("params", r.params());
            l.addProperty("activationBytes", r.activationBytes());
            layers.add(l);
        }
        o.add("layers", layers);
        o.addProperty("macs", macs);
        o.addProperty("params", params);
        o.addProperty("buffers", buffers);
        o.addProperty("weightBytes", weightBytes);
        o.addProperty("largestActivationBytes", largestActivation);
        o.addProperty("layerPeakBytes", layerPeak);
        o.addProperty("layerPeakAt", layerPeakAt);
        if (listParams) {
            JsonArray ps = new JsonArray();
            for (Param p : graph.params()) {
                JsonObject j = new JsonObject();
                j.addProperty("name", p.name());
                JsonArray shape = new JsonArray();
                p.type().shape().forEach(shape::add);
                j.add("shape", shape);
                j.addProperty("buffer", p.buffer());
                ps.add(j);
            }
            o.add("paramList", ps);
        }
        return o;
    }
}
