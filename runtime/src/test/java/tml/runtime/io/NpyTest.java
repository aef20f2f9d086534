package tml.runtime.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;

class NpyTest {
    @TempDir Path dir;

    /** A .npy file made by hand: magic, version, header length, header text, data. */
    private static byte[] npy(int major, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) len.putShort((short) h.length);
        else len.putInt(h.length);
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static String header(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    }

    private static ByteBuffer buf(int size, boolean little) {
        return ByteBuffer.allocate(size).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    private static StoredTensor decode(byte[] bytes) { return Npy.decode(bytes, "a.npy", "a"); }

    @Test void readsAFileWrittenByNumpy() {
        // np.save(f, np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4')) with numpy 2.
        byte[] bytes = HexFormat.of().parseHex("934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f7264"
                + "6572273a2046616c73652c20277368617065273a2028322c2033292c207d2020202020202020202020202020202020202020202020"
                + "20202020202020202020202020202020202020202020202020202020202020202020200a0000803f0000004000004040000080400000"
                + "a0400000c040");
        StoredTensor t = decode(bytes);
        assertEquals(List.of(2, 3), t.shape());
        assertEquals("<f4", t.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.data());
    }

    @Test void float32BothByteOrders() {
        assertArrayEquals(new float[] {1.5f, -2}, decode(npy(1, header("<f4", "(2,)"), buf(8, true).putFloat(1.5f).putFloat(-2).array())).data());
        assertArrayEquals(new float[] {1.5f, -2}, decode(npy(1, header(">f4", "(2,)"), buf(8, false).putFloat(1.5f).putFloat(-2).array())).data());
    }

    @Test void float64IsRounded() {
        StoredTensor t = decode(npy(1, header("<f8", "(1,)"), buf(8, true).putDouble(0.1).array()));
        assertEquals(StorageType.F64, t.storage());
        assertArrayEquals(new float[] {0.1f}, t.data());
        assertArrayEquals(new float[] {-3.25f}, decode(npy(1, header(">f8", "(1,)"), buf(8, false).putDouble(-3.25).array())).data());
    }

    @Test void float16() {
        // 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800
        byte[] little = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x00, 0x38};
        assertArrayEquals(new float[] {1, -2, 0.5f}, decode(npy(1, header("<f2", "(3,)"), little)).data());
        byte[] big = {0x3C, 0x00, (byte) 0xC0, 0x00, 0x38, 0x00};
        assertArrayEquals(new float[] {1, -2, 0.5f}, decode(npy(1, header(">f2", "(3,)"), big)).data());
    }

    @Test void oneByteTypes() {
        byte[] data = {(byte) 0x80, 0x7F, 0x00, (byte) 0xFF};
        assertArrayEquals(new float[] {-128, 127, 0, -1}, decode(npy(1, header("|i1", "(4,)"), data)).data());
        assertArrayEquals(new float[] {128, 127, 0, 255}, decode(npy(1, header("|u1", "(4,)"), data)).data());
        assertArrayEquals(new float[] {1, 0, 1}, decode(npy(1, header("|b1", "(3,)"), new byte[] {1, 0, 1})).data());
    }

    @Test void int16() {
        assertArrayEquals(new float[] {-2, 300}, decode(npy(1, header("<i2", "(2,)"), new byte[] {(byte) 0xFE, (byte) 0xFF, 0x2C, 0x01})).data());
        assertArrayEquals(new float[] {-2, 300}, decode(npy(1, header(">i2", "(2,)"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x2C})).data());
        assertArrayEquals(new float[] {65534, 300}, decode(npy(1, header("<u2", "(2,)"), new byte[] {(byte) 0xFE, (byte) 0xFF, 0x2C, 0x01})).data());
    }

    @Test void int32AndInt64() {
        assertArrayEquals(new float[] {-100000, 7}, decode(npy(1, header("<i4", "(2,)"), buf(8, true).putInt(-100000).putInt(7).array())).data());
        assertArrayEquals(new float[] {-100000, 7}, decode(npy(1, header(">i4", "(2,)"), buf(8, false).putInt(-100000).putInt(7).array())).data());
        assertArrayEquals(new float[] {1099511627776f, -1}, decode(npy(1, header("<i8", "(2,)"), buf(16, true).putLong(1L << 40).putLong(-1).array())).data());
        assertArrayEquals(new float[] {1099511627776f, -1}, decode(npy(1, header(">i8", "(2,)"), buf(16, false).putLong(1L << 40).putLong(-1).array())).data());
        assertArrayEquals(new float[] {4294967295f}, decode(npy(1, header("<u4", "(1,)"), buf(4, true).putInt(-1).array())).data());
        assertArrayEquals(new float[] {18446744073709551615f}, decode(npy(1, header("<u8", "(1,)"), buf(8, true).putLong(-1).array())).data());
    }

    @Test void versionsTwoAndThreeHaveFourByteHeaderLengths() {
        byte[] data = buf(4, true).putFloat(2.5f).array();
        assertArrayEquals(new float[] {2.5f}, decode(npy(2, header("<f4", "(1,)"), data)).data());
        assertArrayEquals(new float[] {2.5f}, decode(npy(3, header("<f4", "(1,)"), data)).data());
    }

    @Test void headerVariants() {
        byte[] data = buf(4, true).putFloat(2.5f).array();
        // Python 2 wrote long integers with an L suffix; keys may come in any order, with double quotes.
        String header = "{\"shape\": (1L,), \"fortran_order\": False, \"descr\": \"<f4\"}     \n";
        assertArrayEquals(new float[] {2.5f}, decode(npy(1, header, data)).data());
    }

    @Test void scalarAndEmptyShapes() {
        StoredTensor scalar = decode(npy(1, header("<f4", "()"), buf(4, true).putFloat(9).array()));
        assertEquals(List.of(), scalar.shape());
        assertArrayEquals(new float[] {9}, scalar.data());
        StoredTensor empty = decode(npy(1, header("<f4", "(0, 3)"), new byte[0]));
        assertEquals(List.of(0, 3), empty.shape());
        assertEquals(0, empty.data().length);
    }

    @Test void multiDimensionalDataIsRowMajor() {
        ByteBuffer b = buf(24, true);
        for (int i = 0; i < 6; i++) b.putFloat(i);
        Tensor t = decode(npy(1, header("<f4", "(2, 3)"), b.array())).toTensor();
        assertEquals(5f, t.get(1, 2));
        assertEquals(3f, t.get(1, 0));
    }

    @Test void encodeWritesAVersionOneFloat32Header() {
        byte[] bytes = Npy.encode(Tensor.of(List.of(2, 3), 1, 2, 3, 4, 5, 6));
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "the data starts at a multiple of 64 bytes");
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLen + 24, bytes.length);
        assertEquals(1f, ByteBuffer.wrap(bytes, 10 + headerLen, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test void oneDimensionalShapeHasATrailingComma() {
        String text = new String(Npy.encode(Tensor.vector(1, 2, 3)), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("'shape': (3,), }"), text);
        assertTrue(new String(Npy.encode(Tensor.scalar(1)), StandardCharsets.ISO_8859_1).contains("'shape': (), }"));
    }

    @Test void roundTripThroughAFile() {
        Tensor t = Tensor.of(List.of(2, 1, 3), 1, -2, 3.5f, Float.NaN, Float.NEGATIVE_INFINITY, 1e-30f);
        Path file = dir.resolve("t.npy");
        Npy.write(t, file);
        assertEquals(t, Npy.read(file));
        assertEquals("t", Npy.readStored(file).name());
    }

    private static void assertRejected(byte[] bytes, String... fragments) {
        var e = assertThrows(TmlRuntimeException.class, () -> decode(bytes));
        assertTrue(e.getMessage().startsWith("a.npy: "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @Test void rejectsFilesThatAreNotNpy() {
        assertRejected("hello world, not numpy".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
        assertRejected(new byte[0], "not a .npy file");
        assertRejected(new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "not a .npy file");
    }

    @Test void rejectsVersionFour() {
        byte[] bytes = npy(1, header("<f4", "(1,)"), new byte[4]);
        bytes[6] = 4;
        assertRejected(bytes, "version 4.0");
    }

    @Test void rejectsTruncatedData() {
        assertRejected(npy(1, header("<f4", "(2, 3)"), new byte[20]), "truncated", "24", "20");
    }

    @Test void rejectsTruncatedHeader() {
        byte[] full = npy(1, header("<f4", "(1,)"), new byte[4]);
        assertRejected(java.util.Arrays.copyOf(full, 30), "truncated");
        assertRejected(java.util.Arrays.copyOf(npy(2, header("<f4", "(1,)"), new byte[4]), 11), "truncated");
    }

    @Test void rejectsTrailingBytes() {
        assertRejected(npy(1, header("<f4", "(1,)"), new byte[8]), "4 unexpected bytes");
    }

    @Test void rejectsFortranOrder() {
        String h = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n";
        assertRejected(npy(1, h, new byte[16]), "fortran_order=True");
    }

    @Test void rejectsObjectArrays() {
        assertRejected(npy(1, header("|O", "(2,)"), new byte[16]), "object arrays");
    }

    @Test void rejectsUnsupportedAndStructuredDtypes() {
        assertRejected(npy(1, header("<c8", "(1,)"), new byte[8]), "unsupported dtype '<c8'");
        assertRejected(npy(1, header("<U5", "(1,)"), new byte[20]), "unsupported dtype '<U5'");
        String structured = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n";
        assertRejected(npy(1, structured, new byte[4]), "structured");
    }

    @Test void rejectsCorruptHeaders() {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3", new byte[24]), "corrupt header");
        assertRejected(npy(1, "not a dict at all\n", new byte[4]), "corrupt header");
        assertRejected(npy(1, "{'descr': '<f4', 'shape': (1,), }\n", new byte[4]), "expected the keys");
        assertRejected(npy(1, header("<f4", "(-1,)"), new byte[4]), "bad dimension");
        assertRejected(npy(1, header("<f4", "(2)"), new byte[8]), "corrupt header");
    }

    @Test void missingFileIsReportedByName() {
        Path missing = dir.resolve("nope.npy");
        var e = assertThrows(TmlRuntimeException.class, () -> Npy.read(missing));
        assertTrue(e.getMessage().contains("nope.npy") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test void readingAFileReportsItsPath() throws Exception {
        Path file = dir.resolve("broken.npy");
        Files.write(file, new byte[] {1, 2, 3});
        var e = assertThrows(TmlRuntimeException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    }
}
