package tml.frontend.elab;

import java.util.Optional;
import tml.frontend.ast.Decl;
import tml.frontend.ast.Stmt;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.Span;

/**
 * Evaluates a {@code target} declaration into its values, for the back end and the CLI: checks it
 * as {@code tmlc check} does ({@link TargetCheck}) and, when it is well formed, reads each property.
 */
public final class TargetReader {
    private TargetReader() {}

    /**
     * A checked target declaration. Sizes are in bytes, the clock in Hz (0 when not given).
     *
     * @param nameSpan where the declaration names the target (diagnostics point here)
     */
    public record Target(String name, String core, long sramBytes, long flashBytes, double clockHz,
                         Optional<String> board, Optional<String> qemu, Optional<Boolean> fpu, Span nameSpan) {}

    /** The target's values; empty, with the problems in {@code diags}, when the declaration is not valid. */
    public static Optional<Target> read(Decl.Policy decl, ModuleEnv module, Diagnostics diags) {
        if (!decl.kind().equals("target")) throw new IllegalArgumentException(decl.kind() + " '" + decl.name() + "' is not a target");
        int before = diags.errorCount();
        Elaborator elab = new Elaborator(diags);
        TargetCheck.check(decl, elab, module, diags);
        if (diags.errorCount() != before) return Optional.empty();
        String core = "";
        long sram = 0, flash = 0;
        double clock = 0;
        Optional<String> board = Optional.empty(), qemu = Optional.empty();
        Optional<Boolean> fpu = Optional.empty();
        for (Stmt s : decl.body().stmts()) {
            Stmt.Property p = (Stmt.Property) s; // TargetCheck accepted only properties
            Value v = elab.evalInModule(module, p.value());
            switch (p.key()) {
                case "core" -> core = ((Value.StrV) v).v();
                case "sram" -> sram = ((Value.IntV) v).v();
                case "flash" -> flash = ((Value.IntV) v).v();
                case "clock" -> clock = v instanceof Value.IntV i ? i.v() : ((Value.FloatV) v).v();
                case "board" -> board = Optional.of(((Value.StrV) v).v());
                case "qemu" -> qemu = Optional.of(((Value.StrV) v).v());
                case "fpu" -> fpu = Optional.of(((Value.BoolV) v).v());
                default -> throw new IllegalStateException("target property '" + p.key() + "' passed the check but is not read");
            }
        }
        return Optional.of(new Target(decl.name(), core, sram, flash, clock, board, qemu, fpu, decl.nameSpan()));
    }
}
