package tml.runtime;

/**
 * The precision in which the interpreter accumulates the sums of conv2d, linear, matmul, pooling and
 * global average pooling. Results are rounded to float32 once per output element in either case.
 */
public enum Accumulation {
    /** Sums are accumulated in float32, as most backends do. */
    F32,
    /** Sums are accumulated in float64: a more accurate oracle for comparing backends. */
    F64
}
