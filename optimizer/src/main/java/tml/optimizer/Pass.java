package tml.optimizer;

/**
 * A graph-level pass: one job, one name. {@link #run} maps a whole model to a new one (never
 * modifying its argument) and must keep it valid: the {@link tml.ir.graph.Verifier} accepts the
 * result and the interpreter computes the same outputs from it, up to rounding.
 */
public interface Pass {
    /** The name in pipelines and on the command line, e.g. {@code fold-batch-norm}. */
    String name();

    Model run(Model model);
}
