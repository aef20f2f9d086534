package tml.runtime.quantum.train;

/**
 * How the per-qubit outputs (Pauli-Z expectations, after normalization and quantization) become the
 * logits of C classes.
 * <ul>
 *   <li>{@link #PAIRS} (TorchQuantum's two-class MNIST readout): the n qubits are cut into C
 *       consecutive groups of n/C; logit c is the sum of group c. For 4 qubits and 2 classes,
 *       logit 0 = ⟨Z₀⟩+⟨Z₁⟩ and logit 1 = ⟨Z₂⟩+⟨Z₃⟩. Needs C to divide n.</li>
 *   <li>{@link #FIRST}: logit c is output c (the first C qubits); needs C ≤ n.</li>
 * </ul>
 */
public enum Readout {
    PAIRS("pairs"), FIRST("first");

    private final String key;

    Readout(String key) { this.key = key; }

    public String key() { return key; }

    public static java.util.Optional<Readout> byKey(String key) {
        for (Readout r : values()) if (r.key.equals(key)) return java.util.Optional.of(r);
        return java.util.Optional.empty();
    }

    /** Null when the readout works for {@code qubits} outputs and {@code classes} classes, else why not. */
    public String check(int qubits, int classes) {
        return switch (this) {
            case PAIRS -> classes >= 2 && qubits % classes == 0 ? null
                    : "readout 'pairs' sums groups of qubits, so the number of classes (" + classes + ") must divide the number of qubits (" + qubits + ")";
            case FIRST -> classes >= 2 && classes <= qubits ? null
                    : "readout 'first' uses one qubit per class, so it needs 2 to " + qubits + " classes, got " + classes;
        };
    }

    public double[] logits(double[] outputs, int classes) {
        double[] l = new double[classes];
        int g = group(outputs.length, classes);
        for (int c = 0; c < classes; c++) for (int k = 0; k < g; k++) l[c] += outputs[c * g + k];
        return l;
    }

    /** ∂loss/∂outputs from ∂loss/∂logits. */
    public double[] backward(double[] dLogits, int outputs) {
        double[] d = new double[outputs];
        int g = group(outputs, dLogits.length);
        for (int c = 0; c < dLogits.length; c++) for (int k = 0; k < g; k++) d[c * g + k] = dLogits[c];
        return d;
    }

    private int group(int outputs, int classes) { return this == PAIRS ? outputs / classes : 1; }
}
