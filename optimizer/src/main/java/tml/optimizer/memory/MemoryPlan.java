package tml.optimizer.memory;

import com.google.common.collect.ImmutableList;
import java.util.Comparator;
import java.util.Locale;
import tml.ir.loop.Program;

/**
 * The result of {@link PlanMemory}: the program with every arena and scratch buffer at its offset,
 * and the numbers a report needs. {@code arenaBytes} is exactly the memory the generated code
 * addresses: activations in {@code [0, activationBytes)}; kernel scratch in the gaps the
 * activations leave at its kernel, or after them: {@code scratchBytes} is what scratch adds to the
 * arena beyond the activations ({@code arenaBytes = activationBytes + scratchBytes}).
 *
 * @param liveLowerBound the most bytes of arena tensors live at once over the execution order (no
 *                       planner can do better for this order and these in-place decisions)
 * @param pairLowerBound the largest sum of one kernel's arena inputs and output (layer-by-layer
 *                       execution cannot need less)
 */
public record MemoryPlan(Program program, long arenaBytes, long activationBytes, long scratchBytes,
                         long liveLowerBound, long pairLowerBound, ImmutableList<Placement> placements) {

    /**
     * One block of the arena: a buffer and everything sharing its memory (views, in-place results),
     * live from kernel {@code first} to kernel {@code last} inclusive.
     */
    public record Placement(String name, ImmutableList<String> members, long offset, long bytes, int first, int last, boolean scratch) {
        public boolean liveAt(int k) { return first <= k && k <= last; }
        public boolean overlapsInTime(Placement o) { return first <= o.last && o.first <= last; }
        public boolean overlapsInMemory(Placement o) { return offset < o.offset + o.bytes && o.offset < offset + bytes; }
    }

    /**
     * The point of the execution where the most arena bytes are live: kernel {@code kernel}
     * ({@code kernelName}), with the blocks live there (activations live across it and its own
     * scratch), largest first. {@code liveBytes} equals {@link #liveLowerBound()} plus that kernel's
     * scratch; the arena can be larger than it by the gaps that lifetimes leave between blocks.
     * {@code kernel} is -1 for a program without kernels.
     */
    public record Peak(int kernel, String kernelName, long liveBytes, ImmutableList<Placement> live) {}

    /** The peak of this plan, computed from the placements (the first kernel wins a tie). */
    public Peak peak() {
        int best = -1;
        long bestBytes = -1;
        for (int k = 0; k < program.kernels().size(); k++) {
            long live = 0;
            for (Placement p : placements) if (p.liveAt(k)) live += p.bytes;
            if (live > bestBytes) {
                bestBytes = live;
                best = k;
            }
        }
        if (best < 0) return new Peak(-1, "", 0, ImmutableList.of());
        int k = best;
        ImmutableList<Placement> live = placements.stream().filter(p -> p.liveAt(k))
                .sorted(Comparator.comparingLong((Placement p) -> -p.bytes).thenComparing(Placement::name))
                .collect(ImmutableList.toImmutableList());
        return new Peak(k, program.kernels().get(k).name(), bestBytes, live);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "arena %d bytes: activations %d, scratch %d; lower bounds: live %d, largest layer %d%n",
                arenaBytes, activationBytes, scratchBytes, liveLowerBound, pairLowerBound));
        for (Placement p : placements) {
            sb.append(String.format(Locale.ROOT, "  %-10s %9d bytes at %9d  kernels %d..%d  %s%n",
                    p.scratch ? "scratch" : "tensor", p.bytes, p.offset, p.first, p.last, String.join(", ", p.members)));
        }
        return sb.toString();
    }
}
