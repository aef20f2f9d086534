package tml.backends.elf;

import com.google.common.collect.ImmutableList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The section headers of an ELF file (32 or 64 bit, either byte order): what a compiled object
 * puts in memory. Owns only the reading of the header table and the sums over it; it does not
 * interpret symbols or relocations. Malformed input is an {@link IllegalArgumentException}.
 *
 * <p>A section occupies the target's memory when it has {@code SHF_ALLOC}. Of those, the ones with
 * contents in the file ({@code SHT_NOBITS} excluded: {@code .bss}) are stored in Flash on a
 * microcontroller ({@code .text}, {@code .rodata}, {@code .data}'s initial image, {@code .ARM.exidx});
 * the writable ones ({@code .data}, {@code .bss}) also occupy RAM at run time.
 */
public record ElfSections(boolean is64, boolean littleEndian, int machine, ImmutableList<Section> sections) {

    public static final int SHT_NOBITS = 8;
    public static final long SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4;
    private static final int SHN_XINDEX = 0xffff;

    /** One section header: its name (from the section-name string table), type, flags and size in bytes. */
    public record Section(String name, int type, long flags, long size) {
        public boolean allocated() { return (flags & SHF_ALLOC) != 0; }
        public boolean writable() { return (flags & SHF_WRITE) != 0; }
        public boolean executable() { return (flags & SHF_EXECINSTR) != 0; }
        /** Occupies no bytes in the file ({@code .bss}). */
        public boolean noBits() { return type == SHT_NOBITS; }
    }

    /** Bytes the object stores in the image: allocated sections with contents (text, read-only data, initialised data). */
    public long imageBytes() {
        return sections.stream().filter(s -> s.allocated() && !s.noBits()).mapToLong(Section::size).sum();
    }

    /** Bytes of writable memory the object needs at run time: initialised and zero-initialised data. */
    public long ramBytes() {
        return sections.stream().filter(s -> s.allocated() && s.writable()).mapToLong(Section::size).sum();
    }

    /**
     * The sum of allocated section sizes whose name is {@code prefix} or starts with {@code prefix + "."}
     * (so {@code ".text"} counts {@code .text.tml_forward} but not {@code .textual}).
     */
    public long bytesOf(String prefix) {
        return sections.stream().filter(s -> s.allocated() && (s.name().equals(prefix) || s.name().startsWith(prefix + ".")))
                .mapToLong(Section::size).sum();
    }

    public static ElfSections parse(byte[] file) {
        if (file.length < 16 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
            throw new IllegalArgumentException("not an ELF file");
        }
        boolean is64 = switch (file[4]) {
            case 1 -> false;
            case 2 -> true;
            default -> throw new IllegalArgumentException("unknown ELF class " + file[4]);
        };
        ByteOrder order = switch (file[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new IllegalArgumentException("unknown ELF data encoding " + file[5]);
        };
        ByteBuffer b = ByteBuffer.wrap(file).order(order);
        int headerSize = is64 ? 64 : 52;
        need(file, 0, headerSize, "the ELF header");
        int machine = Short.toUnsignedInt(b.getShort(18));
        long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
        int base = is64 ? 0x3A : 0x2E;
        int shentsize = Short.toUnsignedInt(b.getShort(base));
        long shnum = Short.toUnsignedInt(b.getShort(base + 2));
        int shstrndx = Short.toUnsignedInt(b.getShort(base + 4));
        if (shoff == 0) return new ElfSections(is64, order == ByteOrder.LITTLE_ENDIAN, machine, ImmutableList.of());
        int minEntry = is64 ? 64 : 40;
        if (shentsize < minEntry) throw new IllegalArgumentException("section header entries of " + shentsize + " bytes, fewer than " + minEntry);
        need(file, shoff, shentsize, "section header 0");
        // extended numbering: with 0 sections or SHN_XINDEX, the real values are in section header 0
        if (shnum == 0) shnum = is64 ? b.getLong(Math.toIntExact(shoff) + 32) : Integer.toUnsignedLong(b.getInt(Math.toIntExact(shoff) + 20));
        if (shstrndx == SHN_XINDEX) shstrndx = b.getInt(Math.toIntExact(shoff) + (is64 ? 40 : 24));
        need(file, shoff, shnum * shentsize, shnum + " section headers");
        if (shstrndx < 0 || shstrndx >= shnum) throw new IllegalArgumentException("section name table index " + shstrndx + " out of range");

        long[][] raw = new long[Math.toIntExact(shnum)][];
        for (int i = 0; i < shnum; i++) {
            int at = Math.toIntExact(shoff + (long) i * shentsize);
            long name = Integer.toUnsignedLong(b.getInt(at));
            long type = Integer.toUnsignedLong(b.getInt(at + 4));
            long flags = is64 ? b.getLong(at + 8) : Integer.toUnsignedLong(b.getInt(at + 8));
            long offset = is64 ? b.getLong(at + 24) : Integer.toUnsignedLong(b.getInt(at + 16));
            long size = is64 ? b.getLong(at + 32) : Integer.toUnsignedLong(b.getInt(at + 20));
            raw[i] = new long[] {name, type, flags, offset, size};
        }
        long strOff = raw[shstrndx][3], strSize = raw[shstrndx][4];
        need(file, strOff, strSize, "the section name table");
        ImmutableList.Builder<Section> out = ImmutableList.builder();
        for (int i = 0; i < shnum; i++) {
            long n = raw[i][0];
            if (n >= strSize && !(i == 0 && n == 0)) throw new IllegalArgumentException("section " + i + " has a name offset past the name table");
            String name = i == 0 && strSize == 0 ? "" : cString(file, Math.toIntExact(strOff + n), Math.toIntExact(strOff + strSize));
            out.add(new Section(name, (int) raw[i][1], raw[i][2], raw[i][4]));
        }
        return new ElfSections(is64, order == ByteOrder.LITTLE_ENDIAN, machine, out.build());
    }

    private static void need(byte[] file, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset + length > file.length) {
            throw new IllegalArgumentException(what + " (bytes " + offset + ".." + (offset + length) + ") lies outside the file of " + file.length + " bytes");
        }
    }

    private static String cString(byte[] file, int from, int limit) {
        int end = from;
        while (end < limit && file[end] != 0) end++;
        return new String(file, from, end - from, StandardCharsets.UTF_8);
    }
}
