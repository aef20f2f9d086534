package tml.ir.loop;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * A lowered network: buffers, and kernels in execution order. {@code arenaBytes} is the size of the
 * activation + scratch arena the kernels address ({@code 0} before memory planning), and
 * {@code weightBytes} the size of the weights blob. Entry point of generated code:
 * {@code forward(inputs..., outputs..., weights, arena)}.
 */
public record Program(String name, long arenaBytes, long weightBytes,
                      ImmutableList<Buffer> buffers, ImmutableList<Kernel> kernels) {

    public Optional<Buffer> buffer(String name) {
        return buffers.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The buffers of a role kind, e.g. {@code ofRole(Buffer.Role.Input.class)}, in declaration order. */
    public ImmutableList<Buffer> ofRole(Class<? extends Buffer.Role> kind) {
        return buffers.stream().filter(b -> kind.isInstance(b.role())).collect(ImmutableList.toImmutableList());
    }

    /** Inputs ordered by their index. */
    public ImmutableList<Buffer> inputs() {
        return ofRole(Buffer.Role.Input.class).stream()
                .sorted(java.util.Comparator.comparingInt(b -> ((Buffer.Role.Input) b.role()).index()))
                .collect(ImmutableList.toImmutableList());
    }

    /** Outputs ordered by their index. */
    public ImmutableList<Buffer> outputs() {
        return ofRole(Buffer.Role.Output.class).stream()
                .sorted(java.util.Comparator.comparingInt(b -> ((Buffer.Role.Output) b.role()).index()))
                .collect(ImmutableList.toImmutableList());
    }

    /** Follows views to the buffer that owns the memory. */
    public Buffer root(Buffer b) {
        Buffer cur = b;
        for (int i = 0; i <= buffers.size() && cur.role() instanceof Buffer.Role.View v; i++) {
            cur = buffer(v.source()).orElseThrow(() -> new IllegalStateException("view of unknown buffer " + v.source()));
        }
        return cur;
    }

    public Program withBuffers(ImmutableList<Buffer> bs, long arena) {
        return new Program(name, arena, weightBytes, bs, kernels);
    }
}
