package tml.optimizer.quantum.search;

/**
 * What a searched circuit is trained and judged on: a training and a validation set whose
 * features feed the circuit's inputs, and the number of classes (read out by a {@link Readout}).
 */
public interface ClassificationTask {
    String name();

    int numClasses();

    Dataset train();

    Dataset validation();

    default int numFeatures() { return train().numFeatures(); }
}
