package tml.ir.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs parameter values into the weights blob a program addresses (f32 slices at their byte
 * offsets), transforming the ones a kernel reads in a packed layout ({@link Buffer.Packed}).
 */
public final class WeightBlob {
    private WeightBlob() {}

    /** @throws IllegalArgumentException naming every missing or mis-sized parameter */
    public static float[] pack(Program p, Map<String, float[]> params) {
        float[] blob = new float[Math.toIntExact((p.weightBytes() + 3) / 4)];
        List<String> problems = new ArrayList<>();
        for (Buffer b : p.buffers()) {
            if (!(b.role() instanceof Buffer.Role.Weight w)) continue;
            String source = w.packed().map(Buffer.Packed::source).orElse(b.name());
            float[] data = params.get(source);
            if (data != null && w.packed().isPresent()) {
                Buffer.Packed pk = w.packed().get();
                try {
                    data = pk.transform().apply(data);
                } catch (IllegalArgumentException e) {
                    problems.add("parameter '" + source + "' cannot be packed as " + pk.transform().text + ": " + e.getMessage());
                    continue;
                }
            }
            if (data == null) {
                problems.add("no value for parameter '" + source + "'");
            } else if (data.length != b.count()) {
                problems.add("parameter '" + b.name() + "' has " + data.length + " elements, the program expects " + b.count());
            } else {
                System.arraycopy(data, 0, blob, Math.toIntExact(w.offset() / 4), data.length);
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return blob;
    }
}
