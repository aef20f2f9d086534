package tml.optimizer;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tml.ir.graph.GraphPrinter;
import tml.ir.graph.VerificationException;
import tml.ir.graph.Verifier;

/**
 * Runs a pipeline of graph passes over a {@link Model}. By default the {@link Verifier} checks the
 * graph after every pass ({@link #verifyEach}); {@link #printAfter} writes the IR after chosen passes.
 * Immutable: the configuring methods return a new manager.
 *
 * <pre>
 * Model optimized = PassManager.forLevel(3, "host").printAfter(Set.of("fold-batch-norm"), System.err).run(model);
 * </pre>
 */
public final class PassManager {
    /** {@link #printAfter} with this set prints after every pass. */
    public static final Set<String> ALL = Set.of("all");

    private final ImmutableList<Pass> passes;
    private final boolean verifyEach;
    private final ImmutableSet<String> printAfter;
    private final PrintStream printTo;

    private PassManager(ImmutableList<Pass> passes, boolean verifyEach, ImmutableSet<String> printAfter, PrintStream printTo) {
        this.passes = passes;
        this.verifyEach = verifyEach;
        this.printAfter = printAfter;
        this.printTo = printTo;
    }

    /** A manager for these passes, verifying after each, printing nothing. */
    public static PassManager of(List<? extends Pass> passes) {
        return new PassManager(ImmutableList.copyOf(passes), true, ImmutableSet.of(), null);
    }

    /** The pipeline of optimization level 0..3 ({@link Passes#pipeline}) for the target {@code interp}. */
    public static PassManager forLevel(int level) { return forLevel(level, "interp"); }

    /** The pipeline of optimization level 0..3 ({@link Passes#pipeline}) for a target (which decides the layout). */
    public static PassManager forLevel(int level, String target) {
        return of(Passes.pipeline(level).stream().map(n -> Passes.create(n, target)).toList());
    }

    /** Passes by name, comma-separated ({@code "fold-batch-norm,fuse-activation"}), for the target {@code interp}. */
    public static PassManager fromNames(String names) { return fromNames(names, "interp"); }

    /**
     * Passes by name, comma-separated, in that order (a name may repeat; blanks around names are
     * ignored). An unknown or empty name is an {@link IllegalArgumentException} listing the known ones.
     */
    public static PassManager fromNames(String names, String target) {
        List<Pass> ps = new ArrayList<>();
        for (String raw : names.split(",", -1)) {
            String name = raw.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty pass name in '" + names + "'; known passes: " + String.join(", ", Passes.names()));
            }
            ps.add(Passes.create(name, target));
        }
        return of(ps);
    }

    /** Whether to run the verifier after every pass (default on; a failure names the pass). */
    public PassManager verifyEach(boolean on) { return new PassManager(passes, on, printAfter, printTo); }

    /**
     * Prints {@code // ---- IR after NAME ----} and the graph text to {@code out} after each pass whose
     * name is in {@code names} ({@link #ALL}: every pass). Every name must be a pass of this pipeline.
     */
    public PassManager printAfter(Set<String> names, PrintStream out) {
        if (!names.equals(ALL)) {
            for (String n : names) {
                if (!Passes.exists(n)) throw new IllegalArgumentException(Passes.unknown(n));
                if (passes.stream().noneMatch(p -> p.name().equals(n))) {
                    throw new IllegalArgumentException("pass '" + n + "' is not in the pipeline ("
                            + (passes.isEmpty() ? "no passes" : String.join(", ", names())) + ")");
                }
            }
        }
        return new PassManager(passes, verifyEach, ImmutableSet.copyOf(names), out);
    }

    public ImmutableList<Pass> passes() { return passes; }

    public ImmutableList<String> names() { return passes.stream().map(Pass::name).collect(ImmutableList.toImmutableList()); }

    /** Runs every pass in order. A graph the verifier rejects after a pass is a bug: {@link IllegalStateException} naming it. */
    public Model run(Model model) {
        Model m = model;
        for (Pass p : passes) {
            m = p.run(m);
            if (verifyEach) {
                try {
                    Verifier.verifyOrThrow(m.graph());
                } catch (VerificationException e) {
                    throw new IllegalStateException("the IR after pass '" + p.name() + "' does not verify: " + e.getMessage(), e);
                }
            }
            if (printTo != null && (printAfter.equals(ALL) || printAfter.contains(p.name()))) {
                printTo.print("// ---- IR after " + p.name() + " ----\n" + GraphPrinter.print(m.graph()));
            }
        }
        if (printTo != null) printTo.flush();
        return m;
    }
}
