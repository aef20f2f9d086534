package tml.optimizer.memory;

import com.google.common.collect.ImmutableList;
import java.util.Locale;
import tml.ir.loop.Program;

/**
 * The result of {@link PlanMemory}: the program with every arena and scratch buffer at its offset,
 * and the numbers a report needs. {@code arenaBytes} is exactly the memory the generated code
 * addresses: activations in {@code [0, activationBytes)}, kernel scratch after them.
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
