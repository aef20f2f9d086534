package tml.optimizer.quantum.search;

/** Mean cross-entropy loss and accuracy of a circuit on a dataset. */
public record Score(double loss, double accuracy) {
    /** Lower loss first; equal losses by higher accuracy. */
    public int compareTo(Score o) {
        int c = Double.compare(loss, o.loss);
        return c != 0 ? c : Double.compare(o.accuracy, accuracy);
    }
}
