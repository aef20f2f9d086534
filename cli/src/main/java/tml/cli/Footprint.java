package tml.cli;

import com.google.common.collect.ImmutableList;
import java.util.Comparator;
import java.util.List;
import tml.backends.elf.ElfSections;
import tml.backends.llvm.BackendException;
import tml.backends.llvm.HostBackend;
import tml.backends.llvm.LlvmTarget;
import tml.backends.llvm.OptLevel;
import tml.ir.graph.Graph;
import tml.ir.loop.Buffer;
import tml.ir.loop.Program;
import tml.optimizer.lower.LoweringException;
import tml.optimizer.memory.MemoryPlan;

/**
 * What a network compiled for a core needs of its memories, measured on what code generation
 * produces (the same lowering, memory plan and LLVM level as {@code tmlc build}):
 * <ul>
 * <li>SRAM = the arena the generated code addresses ({@link MemoryPlan#arenaBytes()}: activations,
 * then kernel scratch) + the caller's input and output arrays + the object's writable data
 * ({@code .data}, {@code .bss});</li>
 * <li>Flash = the object's allocated bytes with contents ({@code .text}, {@code .rodata},
 * {@code .data}'s image, ...) + the weights blob.</li>
 * </ul>
 * Not counted: the stack, and what a firmware link adds (start-up code, C library, vector table).
 */
record Footprint(String network, String core, OptLevel level, MemoryPlan plan, ElfSections object, long inputBytes, long outputBytes) {

    /** Lowers and plans {@code g} (already through the graph passes) for the target's vector width and compiles it to an object. */
    static Footprint measure(Graph g, LlvmTarget target, OptLevel level) throws HostCommands.Failure {
        MemoryPlan plan;
        LlvmTarget.Artifacts a;
        try {
            plan = HostBackend.plan(g, target);
            a = target.compile(List.of(new LlvmTarget.Entry(plan.program(), "tml_forward")), level, false, false, true);
        } catch (LoweringException | BackendException e) {
            throw new HostCommands.Failure(e.getMessage());
        }
        Program p = plan.program();
        long in = p.inputs().stream().mapToLong(Buffer::bytes).sum(), out = p.outputs().stream().mapToLong(Buffer::bytes).sum();
        return new Footprint(g.name(), target.name(), level, plan, ElfSections.parse(a.object()), in, out);
    }

    long arenaBytes() { return plan.arenaBytes(); }
    long weightBytes() { return plan.program().weightBytes(); }
    long codeBytes() { return object.imageBytes(); }
    long staticRamBytes() { return object.ramBytes(); }
    long sramBytes() { return arenaBytes() + inputBytes + outputBytes + staticRamBytes(); }
    long flashBytes() { return codeBytes() + weightBytes(); }

    /** The weight tensors, largest first (ties by name). */
    ImmutableList<Buffer> weightsBySize() {
        return plan.program().ofRole(Buffer.Role.Weight.class).stream()
                .sorted(Comparator.comparingLong((Buffer b) -> -b.bytes()).thenComparing(Buffer::name))
                .collect(ImmutableList.toImmutableList());
    }
}
