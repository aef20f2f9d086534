package tml.runtime.data;

import com.google.common.collect.ImmutableList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tml.runtime.TmlRuntimeException;

/**
 * Fashion-MNIST (Xiao et al. 2017) as QNN features: the images of the chosen classes, average-pooled
 * from 28×28 to {@code grid}×{@code grid} (28/grid-pixel square windows; grid 4 gives the 16 features
 * of TorchQuantum's 4-qubit examples), pixel means in [0, 1] multiplied by {@code scale} (an angle).
 * Labels are the positions of the classes in {@code classes}. Reads the four gzip'd IDX files of
 * Debian's {@code dataset-fashion-mnist} ({@link #DEFAULT_DIR}) or of the original distribution.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final ImmutableList<String> CLASS_NAMES = ImmutableList.of(
            "t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");
    public static final int SIDE = 28;

    private FashionMnist() {}

    public enum Split {
        TRAIN("train"), TEST("t10k");
        final String prefix;
        Split(String prefix) { this.prefix = prefix; }
    }

    /** True when the four files are in {@code dir}. */
    public static boolean available(Path dir) {
        for (Split s : Split.values()) if (!Files.isRegularFile(images(dir, s)) || !Files.isRegularFile(labels(dir, s))) return false;
        return true;
    }

    static Path images(Path dir, Split s) { return dir.resolve(s.prefix + "-images-idx3-ubyte.gz"); }

    static Path labels(Path dir, Split s) { return dir.resolve(s.prefix + "-labels-idx1-ubyte.gz"); }

    public static LabeledData load(Path dir, Split split, List<Integer> classes, int grid, double scale) {
        for (int c : classes) if (c < 0 || c >= CLASS_NAMES.size()) throw new IllegalArgumentException("Fashion-MNIST has classes 0..9, got " + c);
        if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()) throw new IllegalArgumentException("need at least two distinct classes: " + classes);
        if (grid <= 0 || SIDE % grid != 0) throw new IllegalArgumentException("the pooling grid must divide 28: " + grid);
        IdxArray images = IdxReader.read(images(dir, split)), labels = IdxReader.read(labels(dir, split));
        if (images.shape().size() != 3 || images.shape().get(1) != SIDE || images.shape().get(2) != SIDE)
            throw new TmlRuntimeException(images(dir, split) + ": expected images of shape [N, 28, 28], got " + images.shape());
        if (labels.shape().size() != 1 || labels.count() != images.count())
            throw new TmlRuntimeException(labels(dir, split) + ": expected " + images.count() + " labels, got shape " + labels.shape());
        List<double[]> rows = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < images.count(); i++) {
            int y = classes.indexOf(labels.at(i));
            if (y < 0) continue;
            rows.add(pool(images, i, grid, scale));
            ys.add(y);
        }
        return new LabeledData(rows.toArray(double[][]::new), ys.stream().mapToInt(Integer::intValue).toArray(), classes.size(),
                classes.stream().map(CLASS_NAMES::get).collect(ImmutableList.toImmutableList()));
    }

    /** Average pooling of image {@code index} to grid×grid, row-major, each mean in [0, 1] times {@code scale}. */
    static double[] pool(IdxArray images, int index, int grid, double scale) {
        int w = SIDE / grid, base = index * SIDE * SIDE;
        double[] out = new double[grid * grid];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) out[(r / w) * grid + c / w] += images.at(base + r * SIDE + c);
        }
        for (int k = 0; k < out.length; k++) out[k] = out[k] / (255.0 * w * w) * scale;
        return out;
    }
}
