package tml.runtime.io;

import com.google.common.collect.ImmutableList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tml.runtime.Tensor;
import tml.runtime.TmlRuntimeException;

/**
 * NumPy's .npy format. Reads versions 1.0, 2.0 and 3.0 of C-ordered arrays of f2/f4/f8, i1/i2/i4/i8,
 * u1/u2/u4/u8 and b1 in either byte order, converting to float32; writes float32 little-endian
 * version 1.0 files as {@code np.save} does. Every failure to read is a {@link TmlRuntimeException}
 * naming the file and what is wrong.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d*)");
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String SUPPORTED = "f2, f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1";

    /** Reads a .npy file as a float32 tensor. */
    public static Tensor read(Path file) { return readStored(file).toTensor(); }

    /** Reads a .npy file, keeping the dtype it was stored with; the name is the file name without .npy. */
    public static StoredTensor readStored(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (name.endsWith(".npy")) name = name.substring(0, name.length() - 4);
        return decode(FileBytes.read(file), file.toString(), name);
    }

    /** Decodes the bytes of a .npy file; {@code source} names it in messages and is the tensor's name. */
    public static StoredTensor decode(byte[] bytes, String source) { return decode(bytes, source, source); }

    /** Decodes the bytes of a .npy file; {@code source} names it in messages. */
    public static StoredTensor decode(byte[] bytes, String source, String name) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw fail(source, "not a .npy file (it does not start with the \\x93NUMPY magic string)");
        }
        int major = bytes[6] & 0xff, minor = bytes[7] & 0xff;
        if (!(minor == 0 && (major == 1 || major == 2 || major == 3))) {
            throw fail(source, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else {
            if (bytes.length < 12) throw fail(source, "truncated: the file ends inside the header length");
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        }
        if (headerStart + headerLen > bytes.length) {
            throw fail(source, "truncated: the header needs " + headerLen + " bytes but only "
                    + (bytes.length - headerStart) + " follow");
        }
        String text = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(text, source);
        int dataStart = headerStart + (int) headerLen;
        long numel = 1;
        for (int d : h.shape) {
            numel *= d;
            if (numel > Integer.MAX_VALUE - 8) throw fail(source, "the array of shape " + h.shape + " is too large");
        }
        long need = numel * h.type.size(), have = bytes.length - (long) dataStart;
        if (have < need) {
            throw fail(source, "truncated: an array of dtype '" + h.descr + "' and shape " + h.shape + " needs " + need
                    + " data bytes but the file has " + have);
        }
        if (have > need) {
            throw fail(source, "corrupt: " + (have - need) + " unexpected bytes follow the " + need
                    + " data bytes of the array of dtype '" + h.descr + "' and shape " + h.shape);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).order(h.order);
        return new StoredTensor(name, h.descr, h.type, h.shape, h.type.decode(data, (int) numel));
    }

    /** Writes a float32 little-endian version 1.0 file. */
    public static void write(Tensor t, Path file) { FileBytes.write(file, encode(t)); }

    /** The bytes of a float32 little-endian .npy file (version 1.0, or 2.0 if the header does not fit). */
    public static byte[] encode(Tensor t) {
        String shape = t.shape().stream().map(String::valueOf).collect(Collectors.joining(", ", "(", t.rank() == 1 ? ",)" : ")"));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        boolean v1 = dict.length() + 11 + 64 <= 0xffff;
        int prefix = v1 ? 10 : 12;
        int pad = (64 - (prefix + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + header.length + 4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) out.putShort((short) header.length);
        else out.putInt(header.length);
        out.put(header);
        for (float v : t.data()) out.putFloat(v);
        return out.array();
    }

    private record Header(String descr, StorageType type, ByteOrder order, ImmutableList<Integer> shape) {}

    private static Header parseHeader(String text, String source) {
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(source, "corrupt header (" + e.getMessage() + "): " + abbreviate(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) throw fail(source, "corrupt header (not a dictionary): " + abbreviate(text));
        if (!dict.keySet().equals(KEYS)) {
            throw fail(source, "corrupt header: expected the keys 'descr', 'fortran_order' and 'shape', got " + dict.keySet());
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw fail(source, "corrupt header: fortran_order is not True or False");
        if (fortran) {
            throw fail(source, "Fortran-ordered arrays (fortran_order=True) are not supported; save a C-ordered array, "
                    + "e.g. np.save(f, np.ascontiguousarray(a))");
        }
        Object descrValue = dict.get("descr");
        if (descrValue instanceof PyLiteral.PyList) {
            throw fail(source, "structured (record) dtypes are not supported; only plain numeric arrays can be read");
        }
        if (!(descrValue instanceof String descr)) throw fail(source, "corrupt header: descr is not a string");
        if (!(dict.get("shape") instanceof PyLiteral.Tuple tuple)) throw fail(source, "corrupt header: shape is not a tuple");
        ImmutableList.Builder<Integer> shape = ImmutableList.builder();
        for (Object d : tuple.items()) {
            if (!(d instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw fail(source, "corrupt header: bad dimension " + d + " in shape " + tuple.items());
            }
            shape.add(n.intValue());
        }
        Matcher m = DESCR.matcher(descr);
        if (!m.matches()) throw fail(source, "unsupported dtype '" + descr + "' (supported: " + SUPPORTED + ")");
        String kind = m.group(2) + m.group(3);
        if (kind.startsWith("O")) {
            throw fail(source, "object arrays (dtype '" + descr + "') hold Python objects, not numbers, and cannot be read");
        }
        StorageType type = switch (kind) {
            case "f2" -> StorageType.F16;
            case "f4" -> StorageType.F32;
            case "f8" -> StorageType.F64;
            case "i1" -> StorageType.I8;
            case "i2" -> StorageType.I16;
            case "i4" -> StorageType.I32;
            case "i8" -> StorageType.I64;
            case "u1" -> StorageType.U8;
            case "u2" -> StorageType.U16;
            case "u4" -> StorageType.U32;
            case "u8" -> StorageType.U64;
            case "b1" -> StorageType.BOOL;
            default -> throw fail(source, "unsupported dtype '" + descr + "' (supported: " + SUPPORTED + ")");
        };
        ByteOrder order = switch (m.group(1)) {
            case "<" -> ByteOrder.LITTLE_ENDIAN;
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "|" -> {
                if (type.size() != 1) throw fail(source, "dtype '" + descr + "' has no byte order ('|') but needs one");
                yield ByteOrder.LITTLE_ENDIAN;
            }
            default -> ByteOrder.nativeOrder();
        };
        return new Header(descr, type, order, shape.build());
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) return false;
        }
        return true;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }

    private static TmlRuntimeException fail(String source, String what) {
        return new TmlRuntimeException(source + ": " + what);
    }
}
