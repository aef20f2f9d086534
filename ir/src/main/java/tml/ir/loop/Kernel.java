package tml.ir.loop;

import com.google.common.collect.ImmutableList;

/**
 * One step of a program, usually the lowering of one graph node. {@code inPlace} names input
 * buffers whose memory the kernel's result may share: the kernel reads each element of such an
 * input only at the index it then writes, so the memory planner may put both in the same place.
 */
public record Kernel(String name, ImmutableList<String> inPlace, Stmt.Block body) {
    public Kernel(String name, Stmt.Block body) { this(name, ImmutableList.of(), body); }
}
