package tml.runtime.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tml.runtime.TmlRuntimeException;

/** Whole-file reads and writes that report failures as {@link TmlRuntimeException}s naming the file. */
final class FileBytes {
    private FileBytes() {}

    /** The largest file read into one array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) throw new TmlRuntimeException(file + ": is a directory, not a file");
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TmlRuntimeException(file + ": the file has " + size + " bytes; files over 2 GB cannot be read");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TmlRuntimeException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TmlRuntimeException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new TmlRuntimeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new TmlRuntimeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
