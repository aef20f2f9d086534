package tml.backends.llvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Places the blocks one job needs (weights, inputs, outputs, arena) in a board's data RAM: largest
 * first, each in the first region with room, at 64-byte boundaries (the arena and weights need 16).
 * The same sizes always give the same addresses, so consecutive jobs of one program find the weights
 * where the previous job loaded them.
 */
final class McuMemory {
    private McuMemory() {}

    static final long ALIGN = 64;

    /** A block to place: a name for messages and its size. */
    record Block(String name, long bytes) {}

    /** Addresses of the blocks, in the order given. */
    static long[] place(Board board, List<Block> blocks, String what) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) order.add(i);
        order.sort(Comparator.comparingLong((Integer i) -> blocks.get(i).bytes()).reversed().thenComparing(i -> i));
        long[] next = new long[board.data().size()];
        for (int r = 0; r < next.length; r++) next[r] = board.data().get(r).base();
        long[] at = new long[blocks.size()];
        for (int i : order) {
            Block b = blocks.get(i);
            int r = 0;
            while (r < next.length && align(next[r]) + b.bytes() > board.data().get(r).end()) r++;
            if (r == next.length) throw new BackendException(tooBig(board, blocks, b, what));
            at[i] = align(next[r]);
            next[r] = at[i] + b.bytes();
        }
        return at;
    }

    private static long align(long a) { return (a + ALIGN - 1) / ALIGN * ALIGN; }

    private static String tooBig(Board board, List<Block> blocks, Block failed, String what) {
        long total = blocks.stream().mapToLong(Block::bytes).sum();
        StringBuilder regions = new StringBuilder();
        for (Board.Region r : board.data()) {
            if (!regions.isEmpty()) regions.append(", ");
            regions.append(String.format(Locale.ROOT, "%s %d KiB at 0x%08x", r.name(), r.bytes() / 1024, r.base()));
        }
        return String.format(Locale.ROOT, "%s does not fit the memory of %s: it needs %d bytes (%s of %d bytes could not be placed); "
                + "the board has %s for data", what, board.machine(), total, failed.name(), failed.bytes(), regions);
    }
}
