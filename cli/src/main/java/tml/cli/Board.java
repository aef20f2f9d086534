package tml.cli;

import java.util.Optional;
import tml.backends.llvm.CortexMTarget;
import tml.backends.llvm.HostTarget;
import tml.backends.llvm.LlvmTarget;
import tml.frontend.diag.Span;

/**
 * A hardware target chosen with {@code --target}: a core and, for a declared target (a board of
 * {@code stdlib/targets/boards.tml} or the user's own {@code target}), its budgets.
 *
 * @param name        the target's name: the core name for a bare core, else the declaration's name
 * @param core        the core, e.g. {@code cortex-m7} or {@code host}
 * @param sramBytes   SRAM budget in bytes; 0 for a bare core (no budget)
 * @param flashBytes  Flash budget in bytes; 0 for a bare core
 * @param clockHz     clock frequency; 0 when unknown
 * @param boardName   the {@code board} property (a development board's name), if given
 * @param qemuMachine the QEMU machine emulating it ({@code qemu} property), if any
 * @param declSpan    where the target is declared; empty for a bare core
 */
public record Board(String name, String core, long sramBytes, long flashBytes, double clockHz,
                    Optional<String> boardName, Optional<String> qemuMachine, Optional<Span> declSpan) {

    /** A core named on the command line, without budgets. */
    static Board bareCore(String core) {
        return new Board(core, core, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the target has SRAM and Flash budgets to check against. */
    public boolean hasBudget() { return sramBytes > 0 && flashBytes > 0; }

    /** The code generator of the core; empty for a core TML declares but cannot compile for yet (cortex-m0, sm_90, ...). */
    public Optional<LlvmTarget> llvmTarget() {
        if (core.equals("host")) return Optional.of(HostTarget.get());
        return CortexMTarget.forName(core).map(t -> (LlvmTarget) t);
    }
}
