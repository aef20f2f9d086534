package tml.cli;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.*;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.ir.quantum.ParamBinding;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;
import tml.runtime.io.SafeTensors;
import tml.runtime.io.SafeTensorsFile;
import tml.runtime.io.StoredTensor;
import tml.runtime.quantum.DensityMatrixSimulator;
import tml.runtime.quantum.NoiseModel;
import tml.runtime.quantum.PauliString;
import tml.runtime.quantum.StatevectorSimulator;

/**
 * {@code tmlc run} for circuits: binds trained parameters (from --weights, else a seeded uniform
 * angle in [0, 2π)) and input features, simulates exactly (statevector) or with a device's noise
 * (density matrix), and prints probabilities, sampled counts (--shots, --seed) and Pauli expectations.
 */
final class CircuitRun {
    private CircuitRun() {}

    /** Parameter values by flat name: a tensor per flat name, or one tensor per array named by its base. */
    static double[] parameters(Circuit c, Optional<String> weights, long seed) {
        double[] values = new double[c.params().size()];
        if (weights.isEmpty()) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < values.length; i++) values[i] = rng.nextDouble() * 2 * Math.PI;
            return values;
        }
        SafeTensorsFile file = SafeTensors.read(Path.of(weights.get()));
        Map<String, StoredTensor> byName = new HashMap<>();
        for (StoredTensor t : file.tensors()) byName.put(t.name(), t);
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < values.length; i++) {
            String name = c.params().get(i);
            StoredTensor exact = byName.get(name);
            if (exact != null) {
                if (exact.data().length != 1) problems.add("'" + name + "' must hold one value, has " + exact.data().length);
                else values[i] = exact.data()[0];
                used.add(name);
                continue;
            }
            String base = name.contains("_") ? name.substring(0, name.indexOf('_')) : name;
            StoredTensor array = byName.get(base);
            if (array == null) {
                problems.add("'" + name + "' (or an array '" + base + "') is missing from " + weights.get());
                continue;
            }
            int offset = (int) c.params().stream().limit(i).filter(p -> p.startsWith(base + "_")).count();
            long count = c.params().stream().filter(p -> p.startsWith(base + "_")).count();
            if (array.data().length != count) {
                if (!used.contains(base)) problems.add("'" + base + "' has " + array.data().length + " values but the circuit has " + count + " parameters " + base + "_*");
                used.add(base);
                continue;
            }
            used.add(base);
            values[i] = array.data()[offset];
        }
        for (String n : byName.keySet()) if (!used.contains(n)) problems.add("unexpected tensor '" + n + "' in " + weights.get());
        if (!problems.isEmpty()) throw new TmlRuntimeException(String.join("\n", problems));
        return values;
    }

    static int run(Circuit c, double[] params, Optional<Tensor> inputs, Optional<Device> noise, OptionalInt shots, long seed,
                   List<String> observables, boolean json, PrintStream out) {
        List<PauliString> obs = new ArrayList<>();
        for (String o : observables) {
            try {
                obs.add(PauliString.parse(o));
            } catch (RuntimeException e) {
                throw new TmlRuntimeException("bad --observable '" + o + "': " + e.getMessage());
            }
            if (o.replaceAll("^.*\\*", "").strip().length() != c.numQubits()) {
                throw new TmlRuntimeException("--observable '" + o + "' must name one Pauli per qubit (" + c.numQubits() + "), rightmost is qubit 0");
            }
        }
        double[][] samples;
        if (inputs.isPresent()) {
            Tensor t = inputs.get();
            if (t.rank() == 1 && t.dim(0) == c.numInputs()) samples = new double[][] {toDouble(t.data())};
            else if (t.rank() == 2 && t.dim(1) == c.numInputs()) {
                samples = new double[t.dim(0)][];
                for (int i = 0; i < samples.length; i++) samples[i] = toDouble(Arrays.copyOfRange(t.data(), i * c.numInputs(), (i + 1) * c.numInputs()));
            } else {
                throw new TmlRuntimeException("the circuit takes " + c.numInputs() + " input features; the input has shape " + t.shape()
                        + " (give [" + c.numInputs() + "] or [N, " + c.numInputs() + "])");
            }
        } else if (c.numInputs() > 0) {
            throw new TmlRuntimeException("the circuit takes " + c.numInputs() + " input features: pass --input NAME=X.npy");
        } else {
            samples = new double[][] {new double[0]};
        }
        com.google.gson.JsonArray results = new com.google.gson.JsonArray();
        try (StatevectorSimulator sv = new StatevectorSimulator()) {
            DensityMatrixSimulator dm = noise.map(d -> new DensityMatrixSimulator(NoiseModel.fromDevice(d))).orElse(null);
            for (int s = 0; s < samples.length; s++) {
                ParamBinding b = ParamBinding.of(c, params, samples[s]);
                JsonObject r = new JsonObject();
                if (shots.isPresent()) {
                    Map<String, Integer> counts = dm != null ? dm.sample(c, b, shots.getAsInt(), seed + s) : sv.sample(c, b, shots.getAsInt(), seed + s);
                    JsonObject co = new JsonObject();
                    counts.forEach(co::addProperty);
                    r.add("counts", co);
                } else {
                    Map<String, Double> dist = dm != null ? dm.distribution(c, b) : sv.distribution(c, b);
                    JsonObject po = new JsonObject();
                    dist.forEach(po::addProperty);
                    r.add("probabilities", po);
                }
                if (!obs.isEmpty()) {
                    JsonObject eo = new JsonObject();
                    Circuit unitary = c.withOps(com.google.common.collect.ImmutableList.copyOf(c.ops().stream()
                            .filter(op -> !(op instanceof tml.ir.quantum.Op.Measure)).toList()));
                    for (int i = 0; i < obs.size(); i++) {
                        double e = dm != null ? dm.expectation(unitary, b, tml.runtime.quantum.Observable.of(obs.get(i)))
                                : sv.expectation(unitary, b, tml.runtime.quantum.Observable.of(obs.get(i)));
                        eo.addProperty(observables.get(i), e);
                    }
                    r.add("expectations", eo);
                }
                results.add(r);
            }
        }
        if (json) {
            out.println(samples.length == 1 ? results.get(0) : results);
            return Main.OK;
        }
        for (int s = 0; s < results.size(); s++) {
            JsonObject r = results.get(s).getAsJsonObject();
            if (samples.length > 1) out.println("sample " + s + ":");
            String key = r.has("counts") ? "counts" : "probabilities";
            out.println(key + ":");
            for (var e : r.getAsJsonObject(key).entrySet()) {
                out.println("  " + e.getKey() + "  " + (key.equals("counts") ? e.getValue().getAsInt()
                        : String.format(Locale.ROOT, "%.10f", e.getValue().getAsDouble())));
            }
            if (r.has("expectations")) {
                out.println("expectations:");
                for (var e : r.getAsJsonObject("expectations").entrySet()) {
                    out.println("  <" + e.getKey() + ">  " + String.format(Locale.ROOT, "%.10f", e.getValue().getAsDouble()));
                }
            }
        }
        return Main.OK;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
