package tml.runtime.io;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of a JSON header mapping
 * tensor names to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the
 * data section) with optional {@code "__metadata__"} strings, then the raw little-endian data. Reads
 * F32, F16, BF16, F64, I64, I32, I16, I8, U8 (and U16, U32, U64) and BOOL, converting to float32;
 * writes F32. Every failure to read is a {@link TmlRuntimeException} naming the file and the problem.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** Headers larger than this are rejected, as by the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";

    public static SafeTensorsFile read(Path file) { return decode(FileBytes.read(file), file.toString()); }

    /** Decodes the bytes of a safetensors file; {@code source} names it in messages. */
    public static SafeTensorsFile decode(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw fail(source, "not a safetensors file: it has only " + bytes.length + " bytes, fewer than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail(source, "the header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes (is this a safetensors file?)");
        }
        if (8 + n > bytes.length) {
            throw fail(source, "truncated: the header length says " + n + " bytes but only " + (bytes.length - 8) + " follow");
        }
        String json = utf8(bytes, (int) n, source);
        if (!json.startsWith("{")) throw fail(source, "the header is not a JSON object (is this a safetensors file?)");
        Parsed parsed = parseHeader(json, source);
        int dataStart = 8 + (int) n;
        long dataLen = bytes.length - (long) dataStart;
        validateOffsets(parsed.entries, dataLen, source);
        ImmutableList.Builder<StoredTensor> tensors = ImmutableList.builder();
        for (Entry e : parsed.entries) {
            ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) e.begin, (int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
            tensors.add(new StoredTensor(e.name, e.dtype, e.type, e.shape, e.type.decode(data, (int) e.numel)));
        }
        return new SafeTensorsFile(parsed.metadata, tensors.build());
    }

    /** Writes F32 tensors (in the map's order) without metadata. */
    public static void write(Map<String, Tensor> tensors, Path file) { write(tensors, Map.of(), file); }

    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        FileBytes.write(file, encode(tensors, metadata));
    }

    /** The bytes of an F32 safetensors file; the header is padded with spaces to a multiple of 8 bytes. */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringWriter sw = new StringWriter();
        long offset = 0;
        try (JsonWriter w = new JsonWriter(sw)) {
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name(METADATA).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) w.name(m.getKey()).value(m.getValue());
                w.endObject();
            }
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                if (e.getKey().equals(METADATA)) throw new TmlRuntimeException("a tensor cannot be named " + METADATA);
                Tensor t = e.getValue();
                w.name(e.getKey()).beginObject().name("dtype").value("F32").name("shape").beginArray();
                for (int d : t.shape()) w.value(d);
                w.endArray().name("data_offsets").beginArray().value(offset).value(offset + 4L * t.numel()).endArray();
                w.endObject();
                offset += 4L * t.numel();
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] header = sw.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors.values()) {
            for (float v : t.data()) out.putFloat(v);
        }
        return out.array();
    }

    private record Entry(String name, String dtype, StorageType type, ImmutableList<Integer> shape, long numel, long begin, long end) {}

    private record Parsed(ImmutableMap<String, String> metadata, List<Entry> entries) {}

    private static Parsed parseHeader(String json, String source) {
        ImmutableMap.Builder<String, String> metadata = ImmutableMap.builder();
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            JsonReader r = new JsonReader(new StringReader(json));
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                if (!seen.add(name)) throw fail(source, "'" + name + "' appears twice in the header");
                if (name.equals(METADATA)) {
                    readMetadata(r, metadata, source);
                } else {
                    entries.add(readEntry(r, name, source));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) throw fail(source, "malformed header: unexpected text after the JSON object");
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new TmlRuntimeException(source + ": malformed JSON header: " + gsonProblem(e), e);
        }
        return new Parsed(metadata.buildOrThrow(), entries);
    }

    private static void readMetadata(JsonReader r, ImmutableMap.Builder<String, String> metadata, String source) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (r.peek() != JsonToken.STRING) throw fail(source, "__metadata__ value '" + key + "' is not a string");
            metadata.put(key, r.nextString());
        }
        r.endObject();
    }

    private static Entry readEntry(JsonReader r, String name, String source) throws IOException {
        String dtype = null;
        List<Long> shape = null, offsets = null;
        if (r.peek() != JsonToken.BEGIN_OBJECT) throw fail(source, "tensor '" + name + "': the header entry is not an object");
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "dtype" -> {
                    if (r.peek() != JsonToken.STRING) throw fail(source, "tensor '" + name + "': dtype is not a string");
                    dtype = r.nextString();
                }
                case "shape" -> shape = readInts(r, name, "shape", source);
                case "data_offsets" -> offsets = readInts(r, name, "data_offsets", source);
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (dtype == null || shape == null || offsets == null) {
            String missing = dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw fail(source, "tensor '" + name + "': the header entry has no " + missing);
        }
        String dt = dtype;
        StorageType type = StorageType.fromSafetensorsName(dtype).orElseThrow(() -> fail(source, "tensor '" + name
                + "' has unsupported dtype '" + dt + "' (supported: " + Arrays.stream(StorageType.values())
                .map(Enum::name).collect(Collectors.joining(", ")) + ")"));
        if (offsets.size() != 2) throw fail(source, "tensor '" + name + "': data_offsets must be [begin, end], got " + offsets);
        ImmutableList.Builder<Integer> dims = ImmutableList.builder();
        long numel = 1;
        for (long d : shape) {
            if (d > Integer.MAX_VALUE) throw fail(source, "tensor '" + name + "': dimension " + d + " is too large");
            dims.add((int) d);
            numel *= d;
            if (numel > Integer.MAX_VALUE - 8) throw fail(source, "tensor '" + name + "' of shape " + shape + " is too large");
        }
        long begin = offsets.get(0), end = offsets.get(1);
        if (end < begin) throw fail(source, "tensor '" + name + "': data_offsets " + offsets + " end before they begin");
        if (end - begin != numel * type.size()) {
            throw fail(source, "tensor '" + name + "': data_offsets " + offsets + " span " + (end - begin) + " bytes but "
                    + dtype + " data of shape " + shape + " needs " + numel * type.size());
        }
        return new Entry(name, dtype, type, dims.build(), numel, begin, end);
    }

    private static List<Long> readInts(JsonReader r, String name, String field, String source) throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) throw fail(source, "tensor '" + name + "': " + field + " is not a list");
        List<Long> values = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) throw fail(source, "tensor '" + name + "': " + field + " holds a non-number");
            String text = r.nextString();
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw fail(source, "tensor '" + name + "': " + field + " holds " + text + ", not a non-negative integer");
            }
            if (v < 0) throw fail(source, "tensor '" + name + "': " + field + " holds the negative number " + v);
            values.add(v);
        }
        r.endArray();
        return values;
    }

    private static void validateOffsets(List<Entry> entries, long dataLen, String source) {
        for (Entry e : entries) {
            if (e.end > dataLen) {
                throw fail(source, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end + "] lie outside the "
                        + dataLen + "-byte data section (the file may be truncated)");
            }
        }
        List<Entry> sorted = entries.stream().filter(e -> e.end > e.begin)
                .sorted(Comparator.comparingLong(Entry::begin)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin < a.end) {
                throw fail(source, "tensors '" + a.name + "' (bytes " + a.begin + " to " + a.end + ") and '" + b.name
                        + "' (bytes " + b.begin + " to " + b.end + ") overlap in the data section");
            }
        }
    }

    private static String utf8(byte[] bytes, int n, String source) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw fail(source, "the header is not valid UTF-8 (is this a safetensors file?)");
        }
    }

    /** Gson's message without its advice to the programmer ("use lenient mode", a troubleshooting link). */
    private static String gsonProblem(Exception e) {
        String m = String.valueOf(e.getMessage());
        int see = m.indexOf("\nSee ");
        if (see >= 0) m = m.substring(0, see);
        return m.replaceFirst("^Use JsonReader\\.setStrictness\\(Strictness\\.LENIENT\\) to accept malformed JSON", "syntax error");
    }

    private static TmlRuntimeException fail(String source, String what) {
        return new TmlRuntimeException(source + ": " + what);
    }
}
