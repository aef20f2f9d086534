package tml.ir.loop;

/**
 * How a loop is to be executed, decided by lowering (and later by tuning) and carried to the
 * backend: in order, unrolled by a factor, vectorized with a width, or in parallel. The backend may
 * treat every annotation as {@code serial}; the results must not depend on it. {@code vectorize}
 * and {@code parallel} are promises of whoever writes them (as {@code #pragma omp simd}): no
 * iteration reads or writes memory that another iteration writes, so iterations may run together.
 */
public sealed interface Annotation {
    record Serial() implements Annotation {
        @Override public String toString() { return "serial"; }
    }

    record Unroll(int factor) implements Annotation {
        @Override public String toString() { return "unroll(" + factor + ")"; }
    }

    record Vectorize(int width) implements Annotation {
        @Override public String toString() { return "vectorize(" + width + ")"; }
    }

    /** Iterations are independent and may run on several threads. */
    record Parallel() implements Annotation {
        @Override public String toString() { return "parallel"; }
    }

    Annotation SERIAL = new Serial();
    Annotation PARALLEL = new Parallel();
}
