package tml.optimizer.quantum.search;

/**
 * Labelled samples: {@code features[i]} (the circuit's inputs x[0], x[1], ...) with class
 * {@code labels[i]}. The arrays are copied in and must not be changed by callers of the accessors.
 */
public record Dataset(double[][] features, int[] labels) {
    public Dataset {
        if (features.length != labels.length) throw new IllegalArgumentException(features.length + " samples, " + labels.length + " labels");
        if (features.length == 0) throw new IllegalArgumentException("a dataset needs samples");
        int n = features[0].length;
        double[][] f = new double[features.length][];
        for (int i = 0; i < f.length; i++) {
            if (features[i].length != n) throw new IllegalArgumentException("sample " + i + " has " + features[i].length + " features, not " + n);
            f[i] = features[i].clone();
        }
        features = f;
        labels = labels.clone();
    }

    public int size() { return labels.length; }

    public int numFeatures() { return features[0].length; }
}
