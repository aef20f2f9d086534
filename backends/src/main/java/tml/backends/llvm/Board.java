package tml.backends.llvm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A QEMU board that runs a Cortex-M core: where the image goes (its code memory, as the board's
 * linker script {@code runtime/cortex-m/MACHINE.ld} says) and which other RAM the host may fill with
 * weights, inputs, outputs and arenas, plus the clock SysTick counts. Addresses were read from QEMU
 * 7.2's memory tree ({@code info mtree}) of each machine.
 */
public record Board(String machine, Region code, List<Region> data, long clockHz) {
    /** A RAM range of the board. */
    public record Region(String name, long base, long bytes) {
        public long end() { return base + bytes; }
    }

    static final long MiB = 1 << 20;

    static final Map<String, Board> BOARDS = Map.of(
            "mps2-an386", new Board("mps2-an386", new Region("ZBT SSRAM1", 0x0000_0000L, 4 * MiB),
                    List.of(new Region("ZBT SSRAM2/3", 0x2000_0000L, 4 * MiB), new Region("PSRAM", 0x2100_0000L, 16 * MiB)), 25_000_000),
            "mps2-an500", new Board("mps2-an500", new Region("ZBT SSRAM1", 0x0000_0000L, 4 * MiB),
                    List.of(new Region("ZBT SSRAM2/3", 0x2000_0000L, 4 * MiB), new Region("PSRAM", 0x6000_0000L, 16 * MiB)), 25_000_000),
            // SSE-200: the core boots Secure; SSRAMs are used through their Secure aliases (MPC default).
            "mps2-an505", new Board("mps2-an505", new Region("ZBT SSRAM1 (Secure alias)", 0x1000_0000L, 4 * MiB),
                    List.of(new Region("ZBT SSRAM2/3 (Secure alias)", 0x3800_0000L, 4 * MiB), new Region("PSRAM", 0x8000_0000L, 16 * MiB)), 20_000_000));

    public static Optional<Board> forMachine(String machine) { return Optional.ofNullable(BOARDS.get(machine)); }

    /**
     * Instructions per SysTick tick under {@code qemu -icount shift=0}, where each instruction
     * advances the virtual clock by 1 ns: SysTick counts the core clock, so one tick is
     * 10^9 / clockHz instructions (40 on the 25 MHz MPS2 boards, 50 on the 20 MHz AN505).
     */
    public long instructionsPerTick() { return 1_000_000_000L / clockHz; }

    /** Bytes the host can place data in (the largest single item must fit one region). */
    public long dataBytes() { return data.stream().mapToLong(Region::bytes).sum(); }

    public long largestRegion() { return data.stream().mapToLong(Region::bytes).max().orElse(0); }
}
