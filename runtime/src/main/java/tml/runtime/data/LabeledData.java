package tml.runtime.data;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;

/**
 * Feature rows with class labels 0..numClasses−1, for training. {@code classNames} names each
 * label (for reports). The arrays belong to the record; nothing here copies them.
 */
public record LabeledData(double[][] features, int[] labels, int numClasses, ImmutableList<String> classNames) {
    public LabeledData {
        if (features.length != labels.length) throw new IllegalArgumentException(features.length + " rows but " + labels.length + " labels");
        if (classNames.size() != numClasses) throw new IllegalArgumentException(numClasses + " classes but " + classNames.size() + " names");
        for (int l : labels) if (l < 0 || l >= numClasses) throw new IllegalArgumentException("label " + l + " outside 0.." + (numClasses - 1));
    }

    public int size() { return labels.length; }

    public int numFeatures() { return features.length == 0 ? 0 : features[0].length; }

    /** The first {@code n} rows (all when n ≥ size). */
    public LabeledData limit(int n) {
        if (n >= size()) return this;
        return new LabeledData(Arrays.copyOf(features, n), Arrays.copyOf(labels, n), numClasses, classNames);
    }

    /** How many rows carry each label. */
    public int[] classCounts() {
        int[] c = new int[numClasses];
        for (int l : labels) c[l]++;
        return c;
    }
}
