package tml.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.TmlRuntimeException;

class IdxReaderTest {
    @TempDir Path dir;

    private static byte[] idx(int[] dims, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) b.writeBytes(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        b.writeBytes(data);
        return b.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void readsPlainAndGzip() throws IOException {
        byte[] data = {1, 2, 3, (byte) 200, 5, 6};
        Files.write(dir.resolve("a.idx"), idx(new int[] {2, 3}, data));
        Files.write(dir.resolve("a.idx.gz"), gzip(idx(new int[] {2, 3}, data)));
        for (String f : new String[] {"a.idx", "a.idx.gz"}) {
            IdxArray a = IdxReader.read(dir.resolve(f));
            assertEquals(List.of(2, 3), a.shape());
            assertArrayEquals(data, a.data());
            assertEquals(200, a.at(3));
            assertEquals(2, a.count());
            assertEquals(3, a.itemSize());
        }
    }

    @Test
    void rejectsBadFiles() throws IOException {
        Files.write(dir.resolve("short"), idx(new int[] {4}, new byte[] {1, 2}));
        Files.write(dir.resolve("long"), idx(new int[] {1}, new byte[] {1, 2}));
        Files.write(dir.resolve("magic"), new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        Files.write(dir.resolve("type"), new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 0});
        Files.write(dir.resolve("huge"), idx(new int[] {1 << 20, 1 << 20}, new byte[0]));
        for (String f : new String[] {"short", "long", "magic", "type", "huge", "missing"}) {
            TmlRuntimeException e = assertThrows(TmlRuntimeException.class, () -> IdxReader.read(dir.resolve(f)), f);
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }

    @Test
    void poolsImagesIntoAveragedWindows() throws IOException {
        byte[] img = new byte[2 * 28 * 28];
        for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) img[28 * 28 + r * 28 + c] = (byte) (r < 7 && c >= 21 ? 255 : r >= 14 ? 51 : 0);
        IdxArray images = new IdxArray(com.google.common.collect.ImmutableList.of(2, 28, 28), img);
        double[] f = FashionMnist.pool(images, 1, 4, 2.0);
        assertEquals(16, f.length);
        assertEquals(2.0, f[3], 1e-12, "top-right window is white");
        assertEquals(0.0, f[0], 1e-12);
        assertEquals(0.4, f[8], 1e-12, "51/255 times the scale 2");
        assertEquals(0.0, FashionMnist.pool(images, 0, 4, 2.0)[3], 1e-12);
    }

    @Test
    void fashionMnistTwoClasses() {
        Assumptions.assumeTrue(FashionMnist.available(FashionMnist.DEFAULT_DIR), "Debian's dataset-fashion-mnist is not installed");
        LabeledData test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, List.of(3, 6), 4, Math.PI);
        assertEquals(2000, test.size());
        assertArrayEquals(new int[] {1000, 1000}, test.classCounts());
        assertEquals(List.of("dress", "shirt"), test.classNames());
        assertEquals(16, test.numFeatures());
        for (double[] row : test.features()) for (double v : row) assertTrue(v >= 0 && v <= Math.PI);
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, List.of(3, 3), 4, 1));
    }
}
