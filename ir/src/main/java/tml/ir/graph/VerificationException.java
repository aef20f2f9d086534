package tml.ir.graph;

import com.google.common.collect.ImmutableList;

/**
 * A graph that breaks an invariant of the graph IR, thrown by {@link Verifier#verifyOrThrow(Graph)}.
 * Unchecked: a pass that produces an invalid graph is a compiler bug, not a user error (user-written
 * IR text is reported as an {@link IrParseException} instead).
 */
public final class VerificationException extends RuntimeException {
    private final String graphName;
    private final ImmutableList<String> problems;

    public VerificationException(String graphName, ImmutableList<String> problems) {
        super(message(graphName, problems));
        this.graphName = graphName;
        this.problems = problems;
    }

    private static String message(String graphName, ImmutableList<String> problems) {
        StringBuilder sb = new StringBuilder("graph '").append(graphName).append("' is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        for (String p : problems) sb.append("\n  ").append(p);
        return sb.toString();
    }

    public String graphName() { return graphName; }

    /** Every problem found, in graph order; never empty. */
    public ImmutableList<String> problems() { return problems; }
}
