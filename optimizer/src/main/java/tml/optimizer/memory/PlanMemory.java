package tml.optimizer.memory;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Kernel;
import tml.ir.loop.Program;

/**
 * Static memory planning: every arena buffer gets an offset in one arena, so that no two buffers live
 * at the same time share bytes. Lifetimes run from the first to the last kernel that touches a
 * buffer or any view of it; a kernel's result takes its input's place when the kernel allows it
 * ({@link Kernel#inPlace()}) and the input dies there. Blocks are placed largest first, each in the
 * smallest gap that fits among the blocks live at the same time (best fit, as TensorFlow Lite
 * Micro's greedy planner and TinyEngine do). Kernel scratch buffers live for their one kernel and
 * are placed after the activations the same way, in the gaps left at that kernel (so scratch costs
 * arena bytes only where no gap fits it). Offsets are multiples of {@link #ALIGN}.
 */
public final class PlanMemory {
    public static final int ALIGN = 16;

    private PlanMemory() {}

    private static long align(long v) { return (v + ALIGN - 1) / ALIGN * ALIGN; }

    /** A set of arena buffers sharing memory, with its lifetime. */
    private static final class Group {
        final List<String> members = new ArrayList<>();
        long bytes;
        int first = Integer.MAX_VALUE, last = -1;
        long offset;
    }

    public static MemoryPlan plan(Program p) {
        Map<String, Buffer> byName = new HashMap<>();
        for (Buffer b : p.buffers()) byName.put(b.name(), b);
        Map<String, String> root = BufferUses.roots(p);
        List<BufferUses.Uses> uses = BufferUses.of(p);

        // groups of arena buffers: one per arena root, lifetimes over the kernels touching it or its views
        Map<String, Group> groupOf = new LinkedHashMap<>();
        for (Buffer b : p.buffers()) {
            if (b.role() instanceof Role.Arena) {
                Group g = new Group();
                g.members.add(b.name());
                g.bytes = b.bytes();
                groupOf.put(b.name(), g);
            }
        }
        for (Buffer b : p.buffers()) {
            if (b.role() instanceof Role.View && groupOf.containsKey(root.get(b.name()))) groupOf.get(root.get(b.name())).members.add(b.name());
        }
        for (int k = 0; k < uses.size(); k++) {
            for (String name : uses.get(k).all()) {
                Group g = groupOf.get(root.get(name));
                if (g != null) {
                    g.first = Math.min(g.first, k);
                    g.last = Math.max(g.last, k);
                }
            }
        }
        long pairBound = 0, liveBound = 0;
        for (int k = 0; k < uses.size(); k++) {
            long pair = 0;
            for (String r : uses.get(k).all().stream().map(root::get).distinct().toList()) {
                if (groupOf.containsKey(r)) pair += byName.get(r).bytes();
            }
            pairBound = Math.max(pairBound, pair);
        }

        // in place: a kernel's single arena result joins an input group that dies at this kernel
        for (int k = 0; k < p.kernels().size(); k++) {
            Kernel kernel = p.kernels().get(k);
            if (kernel.inPlace().isEmpty()) continue;
            List<String> written = uses.get(k).writes().stream().map(root::get).distinct().toList();
            if (written.size() != 1 || !groupOf.containsKey(written.get(0))) continue;
            Group out = groupOf.get(written.get(0));
            if (out.first != k || out.members.size() == 0) continue;
            for (String candidate : kernel.inPlace()) {
                Group in = groupOf.get(root.get(candidate));
                if (in == null || in == out || in.last != k || in.bytes < out.bytes) continue;
                in.members.addAll(out.members);
                in.last = Math.max(in.last, out.last);
                for (String m : out.members) groupOf.put(root.get(m), in);
                for (var e : groupOf.entrySet()) if (e.getValue() == out) e.setValue(in);
                break;
            }
        }
        List<Group> groups = groupOf.values().stream().distinct().filter(g -> g.last >= 0).toList();
        for (int k = 0; k < uses.size(); k++) {
            long live = 0;
            for (Group g : groups) if (g.first <= k && k <= g.last) live += g.bytes;
            liveBound = Math.max(liveBound, live);
        }

        // best fit, largest first: activations, then each kernel's scratch in the gaps left at that kernel
        List<Group> order = new ArrayList<>(groups);
        order.sort(Comparator.comparingLong((Group g) -> -g.bytes).thenComparingInt(g -> g.first).thenComparing(g -> g.members.get(0)));
        List<Group> placed = new ArrayList<>();
        long activation = 0;
        for (Group g : order) {
            place(g, placed);
            activation = Math.max(activation, g.offset + g.bytes);
        }
        Map<String, Group> scratchGroups = new LinkedHashMap<>();
        for (int k = 0; k < uses.size(); k++) {
            for (String name : uses.get(k).all()) {
                Buffer b = byName.get(name);
                if (b != null && b.role() instanceof Role.Scratch && !scratchGroups.containsKey(name)) {
                    Group g = new Group();
                    g.members.add(name);
                    g.bytes = b.bytes();
                    g.first = k;
                    g.last = k;
                    scratchGroups.put(name, g);
                }
            }
        }
        List<Group> scratchOrder = new ArrayList<>(scratchGroups.values());
        scratchOrder.sort(Comparator.comparingLong((Group g) -> -g.bytes).thenComparingInt(g -> g.first).thenComparing(g -> g.members.get(0)));
        long arena = activation;
        for (Group g : scratchOrder) {
            place(g, placed);
            arena = Math.max(arena, g.offset + g.bytes);
        }
        long scratch = arena - activation;

        List<Buffer> out = new ArrayList<>();
        ImmutableList.Builder<MemoryPlan.Placement> placements = ImmutableList.builder();
        for (Buffer b : p.buffers()) {
            switch (b.role()) {
                case Role.Arena a -> {
                    Group g = groupOf.get(b.name());
                    out.add(b.withRole(new Role.Arena(g.last >= 0 ? g.offset : 0)));
                }
                case Role.Scratch s -> {
                    Group g = scratchGroups.get(b.name());
                    // a scratch buffer no kernel touches still gets an offset inside the arena
                    out.add(b.withRole(new Role.Scratch(g == null ? 0 : g.offset)));
                    if (g != null) placements.add(new MemoryPlan.Placement(b.name(), ImmutableList.of(b.name()), g.offset, b.bytes(), g.first, g.last, true));
                }
                default -> out.add(b);
            }
        }
        for (Group g : placed.stream().filter(x -> !scratchGroups.containsValue(x)).sorted(Comparator.comparingLong((Group x) -> x.offset).thenComparingInt(x -> x.first)).toList()) {
            placements.add(new MemoryPlan.Placement(g.members.get(0), ImmutableList.copyOf(g.members), g.offset, g.bytes, g.first, g.last, false));
        }
        Program planned = p.withBuffers(ImmutableList.copyOf(out), arena);
        return new MemoryPlan(planned, arena, activation, scratch, liveBound, pairBound, placements.build());
    }

    /** Puts {@code g} in the smallest gap among the placed groups live with it, or after them all. */
    private static void place(Group g, List<Group> placed) {
        List<Group> live = placed.stream().filter(o -> o.first <= g.last && g.first <= o.last)
                .sorted(Comparator.comparingLong(o -> o.offset)).toList();
        long need = align(g.bytes), bestOffset = -1, bestGap = Long.MAX_VALUE, at = 0;
        for (Group o : live) {
            long gap = o.offset - at;
            if (gap >= need && gap < bestGap) {
                bestGap = gap;
                bestOffset = at;
            }
            at = Math.max(at, align(o.offset + o.bytes));
        }
        g.offset = bestOffset >= 0 ? bestOffset : at;
        placed.add(g);
    }

    /**
     * Checks a planned program independently of how it was planned: every arena and scratch buffer
     * lies inside the arena, and two buffers whose bytes overlap are never live at the same kernel,
     * except a kernel's result written over an input it lists in {@code inPlace} that dies there.
     * Returns the problems found.
     */
    public static ImmutableList<String> check(Program p) {
        List<String> problems = new ArrayList<>();
        Map<String, String> root = BufferUses.roots(p);
        List<BufferUses.Uses> uses = BufferUses.of(p);
        Map<String, int[]> life = new LinkedHashMap<>();
        Map<String, long[]> range = new HashMap<>();
        for (Buffer b : p.buffers()) {
            long off = switch (b.role()) {
                case Role.Arena a -> a.offset();
                case Role.Scratch s -> s.offset();
                default -> -2;
            };
            if (off == -2) continue;
            if (off < 0) {
                problems.add("%" + b.name() + " has no offset");
                continue;
            }
            if (off + b.bytes() > p.arenaBytes()) problems.add("%" + b.name() + " ends at " + (off + b.bytes()) + ", past the arena of " + p.arenaBytes());
            range.put(b.name(), new long[] {off, off + b.bytes()});
            life.put(b.name(), new int[] {Integer.MAX_VALUE, -1});
        }
        for (int k = 0; k < uses.size(); k++) {
            for (String n : uses.get(k).all()) {
                int[] l = life.get(root.get(n));
                if (l != null) {
                    l[0] = Math.min(l[0], k);
                    l[1] = Math.max(l[1], k);
                }
            }
        }
        List<String> names = new ArrayList<>(life.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                String a = names.get(i), b = names.get(j);
                int[] la = life.get(a), lb = life.get(b);
                long[] ra = range.get(a), rb = range.get(b);
                if (la[1] < 0 || lb[1] < 0) continue;
                boolean time = la[0] <= lb[1] && lb[0] <= la[1];
                boolean memory = ra[0] < rb[1] && rb[0] < ra[1];
                if (!time || !memory) continue;
                if (inPlace(p, uses, root, a, la, b, lb) || inPlace(p, uses, root, b, lb, a, la)) continue;
                problems.add("%" + a + " (bytes " + ra[0] + ".." + ra[1] + ", kernels " + la[0] + ".." + la[1] + ") and %" + b
                        + " (bytes " + rb[0] + ".." + rb[1] + ", kernels " + lb[0] + ".." + lb[1] + ") are live at once in the same memory");
            }
        }
        return ImmutableList.copyOf(problems);
    }

    /** Whether {@code out} is written in place of {@code in} by the one kernel where their lifetimes meet. */
    private static boolean inPlace(Program p, List<BufferUses.Uses> uses, Map<String, String> root, String in, int[] li, String out, int[] lo) {
        int k = li[1];
        if (lo[0] != k) return false;
        Kernel kernel = p.kernels().get(k);
        boolean listed = kernel.inPlace().stream().anyMatch(c -> root.get(c).equals(in));
        boolean writes = uses.get(k).writes().stream().anyMatch(w -> root.get(w).equals(out));
        return listed && writes;
    }

    /** All names that are views of, or equal to, {@code rootName}. */
    static Set<String> membersOf(Program p, String rootName) {
        Map<String, String> root = BufferUses.roots(p);
        return root.entrySet().stream().filter(e -> e.getValue().equals(rootName)).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());
    }
}
