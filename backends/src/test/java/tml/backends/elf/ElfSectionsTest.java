package tml.backends.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.backends.llvm.CortexMTarget;
import tml.backends.llvm.LlvmTarget;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.graph.GraphParser;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;

class ElfSectionsTest {
    /** A section for the synthetic files: name, type, flags, size. */
    record S(String name, int type, long flags, long size) {}

    static final int PROGBITS = 1, STRTAB = 3;

    /** Writes a minimal ELF file with these sections (after the null section) and a trailing .shstrtab. */
    static byte[] elf(boolean is64, ByteOrder order, List<S> sections) {
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.write(0);
        int[] nameOff = new int[sections.size() + 1];
        for (int i = 0; i <= sections.size(); i++) {
            nameOff[i] = names.size();
            String n = i < sections.size() ? sections.get(i).name() : ".shstrtab";
            names.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        byte[] strtab = names.toByteArray();
        int header = is64 ? 64 : 52, entry = is64 ? 64 : 40, count = sections.size() + 2;
        int strOff = header, shoff = header + strtab.length + 3 & ~3;
        ByteBuffer b = ByteBuffer.allocate(shoff + count * entry).order(order);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        b.putShort(16, (short) 1); // ET_REL
        b.putShort(18, (short) (is64 ? 62 : 40));
        if (is64) {
            b.putLong(0x28, shoff);
            b.putShort(0x3A, (short) entry).putShort(0x3C, (short) count).putShort(0x3E, (short) (count - 1));
        } else {
            b.putInt(0x20, shoff);
            b.putShort(0x2E, (short) entry).putShort(0x30, (short) count).putShort(0x32, (short) (count - 1));
        }
        b.put(strOff, strtab);
        for (int i = 1; i < count; i++) {
            S s = i <= sections.size() ? sections.get(i - 1) : new S(".shstrtab", STRTAB, 0, strtab.length);
            int at = shoff + i * entry;
            long offset = i == count - 1 ? strOff : 0;
            b.putInt(at, nameOff[i - 1]).putInt(at + 4, s.type());
            if (is64) b.putLong(at + 8, s.flags()).putLong(at + 24, offset).putLong(at + 32, s.size());
            else b.putInt(at + 8, (int) s.flags()).putInt(at + 16, (int) offset).putInt(at + 20, (int) s.size());
        }
        return b.array();
    }

    static final List<S> SECTIONS = List.of(
            new S(".text", PROGBITS, 0x6, 100),
            new S(".text.tml_forward", PROGBITS, 0x6, 1000),
            new S(".rodata.cst4", PROGBITS, 0x2, 8),
            new S(".data", PROGBITS, 0x3, 12),
            new S(".bss", ElfSections.SHT_NOBITS, 0x3, 64),
            new S(".comment", PROGBITS, 0x30, 20),
            new S(".textual", PROGBITS, 0x2, 5));

    @Test
    void sumsAllocatedSectionsOfBothClassesAndByteOrders() {
        for (boolean is64 : new boolean[] {false, true}) {
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                ElfSections e = ElfSections.parse(elf(is64, order, SECTIONS));
                String where = (is64 ? "ELF64 " : "ELF32 ") + order;
                assertEquals(is64, e.is64(), where);
                assertEquals(order == ByteOrder.LITTLE_ENDIAN, e.littleEndian(), where);
                assertEquals(9, e.sections().size(), where);
                assertEquals("", e.sections().get(0).name(), where);
                assertEquals(".text.tml_forward", e.sections().get(2).name(), where);
                // text 1100 + rodata 8 + data 12 + .textual 5; .bss has no bytes in the image, .comment is not allocated
                assertEquals(1125, e.imageBytes(), where);
                assertEquals(76, e.ramBytes(), where);
                assertEquals(1100, e.bytesOf(".text"), where);
                assertEquals(8, e.bytesOf(".rodata"), where);
                assertEquals(64, e.bytesOf(".bss"), where);
                assertTrue(e.sections().get(5).noBits() && e.sections().get(5).writable(), where);
                assertTrue(e.sections().get(1).executable(), where);
            }
        }
    }

    @Test
    void rejectsWhatIsNoElfOrIsCutShort() {
        assertThrows(IllegalArgumentException.class, () -> ElfSections.parse("not an object file".getBytes(StandardCharsets.UTF_8)));
        byte[] ok = elf(false, ByteOrder.LITTLE_ENDIAN, SECTIONS);
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElfSections.parse(cut));
        assertTrue(e.getMessage().contains("section headers"), e.getMessage());
    }

    /** A real object from LLVM for a Cortex-M core: 32-bit little-endian ARM, code in .text, nothing writable. */
    @Test
    void readsAnObjectCompiledForCortexM() throws Exception {
        Graph g = GraphParser.parse("""
                graph @Small {
                  input %x : f32[1,8,4,4]
                  param @w : f32[8,8,1,1] = uniform(0.3)
                  %c = conv2d(%x, @w) {stride = [1,1], padding = [0,0,0,0], dilation = [1,1], groups = 1} : f32[1,8,4,4]
                  %r = relu(%c) : f32[1,8,4,4]
                  output %y = %r
                }
                """, "small.tmlir");
        CortexMTarget t = CortexMTarget.forName("cortex-m4").orElseThrow();
        MemoryPlan plan = PlanMemory.plan(LowerGraph.lower(g, new LowerGraph.Options(t.vectorWidth())));
        LlvmTarget.Artifacts a = t.compile(List.of(new LlvmTarget.Entry(plan.program(), "tml_forward")), OptLevel.O2, false, false, true);
        ElfSections e = ElfSections.parse(a.object());
        assertFalse(e.is64());
        assertTrue(e.littleEndian());
        assertEquals(40, e.machine()); // EM_ARM
        assertTrue(e.bytesOf(".text") > 0, e.sections().toString());
        assertTrue(e.imageBytes() >= e.bytesOf(".text") + e.bytesOf(".rodata"), e.sections().toString());
        assertTrue(e.sections().stream().anyMatch(s -> s.name().startsWith(".text") && s.executable()), e.sections().toString());
    }
}
