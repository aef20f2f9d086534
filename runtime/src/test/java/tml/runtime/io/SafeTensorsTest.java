package tml.runtime.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.common.collect.ImmutableMap;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;

class SafeTensorsTest {
    @TempDir Path dir;

    /** A safetensors file made by hand: 8-byte little-endian header length, header, data. */
    private static byte[] st(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static String one(String dtype, String shape, long begin, long end) {
        return "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}}";
    }

    private static ByteBuffer le(int size) { return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN); }

    private static float[] values(String dtype, String shape, byte[] data) {
        SafeTensorsFile f = SafeTensors.decode(st(one(dtype, shape, 0, data.length), data), "w.safetensors");
        StoredTensor t = f.get("t").orElseThrow();
        assertEquals(dtype, t.dtype());
        return t.data();
    }

    @Test void readsEveryDtype() {
        assertArrayEquals(new float[] {1.5f, -2}, values("F32", "[2]", le(8).putFloat(1.5f).putFloat(-2).array()));
        assertArrayEquals(new float[] {0.1f}, values("F64", "[1]", le(8).putDouble(0.1).array()));
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000. BF16: 1.0 = 0x3F80, -2.0 = 0xC000, 3.0 = 0x4040.
        assertArrayEquals(new float[] {1, -2}, values("F16", "[2]", new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}));
        assertArrayEquals(new float[] {1, -2, 3}, values("BF16", "[3]", new byte[] {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0, 0x40, 0x40}));
        assertArrayEquals(new float[] {1099511627776f, -5}, values("I64", "[2]", le(16).putLong(1L << 40).putLong(-5).array()));
        assertArrayEquals(new float[] {-100000, 7}, values("I32", "[2]", le(8).putInt(-100000).putInt(7).array()));
        assertArrayEquals(new float[] {-2, 300}, values("I16", "[2]", new byte[] {(byte) 0xFE, (byte) 0xFF, 0x2C, 0x01}));
        assertArrayEquals(new float[] {-128, 127}, values("I8", "[2]", new byte[] {(byte) 0x80, 0x7F}));
        assertArrayEquals(new float[] {128, 255}, values("U8", "[2]", new byte[] {(byte) 0x80, (byte) 0xFF}));
        assertArrayEquals(new float[] {1, 0, 1}, values("BOOL", "[3]", new byte[] {1, 0, 1}));
    }

    @Test void readsShapesMetadataAndOrder() {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[20,20]}}   ";
        ByteBuffer data = le(20).putFloat(9);
        for (int i = 1; i <= 4; i++) data.putFloat(i);
        SafeTensorsFile f = SafeTensors.decode(st(json, data.array()), "w.safetensors");
        assertEquals(Map.of("format", "pt"), f.metadata());
        assertEquals(List.of("b", "a", "e"), f.tensors().stream().map(StoredTensor::name).toList());
        Tensor b = f.toTensors().get("b");
        assertEquals(List.of(2, 2), b.shape());
        assertEquals(3f, b.get(1, 0));
        assertEquals(Tensor.scalar(9), f.toTensors().get("a"));
        assertEquals(List.of(0, 3), f.get("e").orElseThrow().shape());
    }

    @Test void roundTripThroughAFile() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", Tensor.of(List.of(2, 3), 1, 2, 3, 4, 5, Float.NaN));
        tensors.put("a.bias", Tensor.vector(-1.5f));
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(tensors, Map.of("note", "hi"), file);
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals(tensors, f.toTensors());
        assertEquals(List.of("z.weight", "a.bias"), f.toTensors().keySet().asList());
        assertEquals(ImmutableMap.of("note", "hi"), f.metadata());
        assertEquals("F32", f.tensors().get(0).dtype());
    }

    @Test void headerIsPaddedToEightBytes() {
        byte[] bytes = SafeTensors.encode(Map.of("x", Tensor.vector(1, 2, 3)), Map.of());
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", header.strip());
        assertEquals(8 + n + 12, bytes.length);
    }

    private static void assertRejected(byte[] bytes, String... fragments) {
        var e = assertThrows(TmlRuntimeException.class, () -> SafeTensors.decode(bytes, "w.safetensors"));
        assertTrue(e.getMessage().startsWith("w.safetensors: "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @Test void rejectsTooShortFiles() {
        assertRejected(new byte[] {1, 2, 3}, "fewer than the 8-byte header length");
    }

    @Test void rejectsHugeHeaders() {
        byte[] bytes = le(16).putLong(200_000_000L).array();
        assertRejected(bytes, "exceeds the limit");
        assertRejected(le(16).putLong(-1).array(), "exceeds the limit");
    }

    @Test void rejectsHeadersLongerThanTheFile() {
        byte[] bytes = le(20).putLong(100).array();
        assertRejected(bytes, "truncated", "100");
    }

    @Test void rejectsMalformedJson() {
        assertRejected(st("{\"t\":{\"dtype\":\"F32\",", new byte[0]), "malformed JSON header");
        assertRejected(st("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} trailing", new byte[4]), "malformed");
        assertRejected(st("{'t': 1}", new byte[0]), "malformed JSON header");
        assertRejected(st("[1, 2]", new byte[0]), "not a JSON object");
        assertRejected(st("{\"t\": 5}", new byte[0]), "not an object");
    }

    @Test void rejectsInvalidUtf8() {
        byte[] bytes = st("{\"t\": 5}", new byte[0]);
        bytes[10] = (byte) 0xFF;
        assertRejected(bytes, "UTF-8");
    }

    @Test void rejectsOffsetsOutsideTheData() {
        assertRejected(st(one("F32", "[2]", 0, 8), new byte[4]), "outside the 4-byte data section");
    }

    @Test void rejectsOffsetsThatDisagreeWithTheShape() {
        assertRejected(st(one("F32", "[3]", 0, 8), new byte[12]), "span 8 bytes", "needs 12");
        assertRejected(st(one("F32", "[2]", 8, 0), new byte[12]), "end before they begin");
        assertRejected(st(one("F32", "[2]", 0, 8).replace("[0,8]", "[0]"), new byte[8]), "[begin, end]");
    }

    @Test void rejectsOverlappingTensors() {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRejected(st(json, new byte[12]), "'a'", "'b'", "overlap");
    }

    @Test void rejectsUnknownDtypes() {
        assertRejected(st(one("C64", "[1]", 0, 8), new byte[8]), "unsupported dtype 'C64'", "BF16");
    }

    @Test void rejectsDuplicateNames() {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRejected(st(json, new byte[8]), "'a' appears twice");
    }

    @Test void rejectsIncompleteOrBadEntries() {
        assertRejected(st("{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "has no data_offsets");
        assertRejected(st(one("F32", "[-1]", 0, 4), new byte[4]), "negative");
        assertRejected(st(one("F32", "[1.5]", 0, 4), new byte[4]), "1.5");
        assertRejected(st(one("F32", "\"2\"", 0, 4), new byte[4]), "shape is not a list");
        assertRejected(st("{\"__metadata__\":{\"k\":3}}", new byte[0]), "__metadata__", "not a string");
    }

    @Test void missingFileIsReportedByName() {
        var e = assertThrows(TmlRuntimeException.class, () -> SafeTensors.read(dir.resolve("gone.safetensors")));
        assertTrue(e.getMessage().contains("gone.safetensors: no such file"), e.getMessage());
    }
}
