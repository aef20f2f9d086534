package tml.runtime.data;

import com.google.common.collect.ImmutableList;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import tml.runtime.TmlRuntimeException;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed ({@code .gz}) or plain.
 * Only unsigned-byte data (type 0x08) is supported, which is what those data sets use: a header of
 * {@code 0x00 0x00 0x08 rank} and {@code rank} big-endian 32-bit sizes, then the bytes.
 */
public final class IdxReader {
    /** Larger arrays are refused (a corrupt header would otherwise ask for gigabytes). */
    public static final long MAX_VALUES = 1L << 30;

    private IdxReader() {}

    public static IdxArray read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return decode(in, file.toString());
        } catch (IOException e) {
            throw new TmlRuntimeException(file + ": cannot read IDX file: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** Decodes an uncompressed IDX stream; {@code source} names it in messages. */
    public static IdxArray decode(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            int zero = in.readUnsignedShort(), type = in.readUnsignedByte(), rank = in.readUnsignedByte();
            if (zero != 0) throw new TmlRuntimeException(source + ": not an IDX file (bad magic number)");
            if (type != 0x08) throw new TmlRuntimeException(source + ": IDX data type 0x" + Integer.toHexString(type) + " is not supported (only unsigned bytes, 0x08)");
            if (rank == 0 || rank > 8) throw new TmlRuntimeException(source + ": IDX rank " + rank + " is not supported (1 to 8)");
            ImmutableList.Builder<Integer> shape = ImmutableList.builder();
            long n = 1;
            for (int i = 0; i < rank; i++) {
                int d = in.readInt();
                if (d < 0) throw new TmlRuntimeException(source + ": negative IDX dimension " + d);
                shape.add(d);
                n *= d;
                if (n > MAX_VALUES) throw new TmlRuntimeException(source + ": IDX array too large (more than " + MAX_VALUES + " values)");
            }
            byte[] data = new byte[(int) n];
            in.readFully(data);
            if (in.read() != -1) throw new TmlRuntimeException(source + ": trailing bytes after the IDX array");
            return new IdxArray(shape.build(), data);
        } catch (EOFException e) {
            throw new TmlRuntimeException(source + ": IDX file is truncated");
        }
    }
}
