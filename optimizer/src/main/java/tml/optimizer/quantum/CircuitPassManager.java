package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitVerifier;
import tml.ir.quantum.Device;

/**
 * -O pipelines for circuits. Logical optimisation by level, then (with a device) routing and
 * the same clean-up on the routed circuit; the circuit is verified after every pass.
 * <ul>
 *   <li>-O0: nothing (routing only, with a device)</li>
 *   <li>-O1: remove-near-identity(1e-10), cancel-inverses, merge-rotations</li>
 *   <li>-O2: -O1 and commute-cancel, repeated until the circuit stops changing</li>
 *   <li>-O3: -O2 with fuse-1q in the loop</li>
 * </ul>
 */
public final class CircuitPassManager {
    private static final int MAX_ROUNDS = 8;

    /** What a run produced: the circuit, the routing (with a device) and one log line per pass run. */
    public record Result(Circuit circuit, Optional<RoutingResult> routing, ImmutableList<String> log) {}

    private final ImmutableList<CircuitPass> cleanup;
    private final boolean repeat;
    private final Optional<SabreRoute> router;

    private CircuitPassManager(ImmutableList<CircuitPass> cleanup, boolean repeat, Optional<SabreRoute> router) {
        this.cleanup = cleanup;
        this.repeat = repeat;
        this.router = router;
    }

    public static CircuitPassManager forLevel(int level) { return forLevel(level, Optional.empty(), 0); }

    public static CircuitPassManager forLevel(int level, Optional<Device> device, long seed) {
        List<CircuitPass> passes = new ArrayList<>();
        if (level >= 1) passes.addAll(List.of(new RemoveNearIdentity(1e-10), new CancelInverses(), new MergeRotations()));
        if (level >= 2) passes.add(new CommuteAndCancel());
        if (level >= 3) {
            passes.add(new FuseSingleQubitGates());
            passes.add(new CancelInverses());
        }
        if (level < 0 || level > 3) throw new IllegalArgumentException("optimisation level must be 0..3: " + level);
        return new CircuitPassManager(ImmutableList.copyOf(passes), level >= 2, device.map(d -> new SabreRoute(d, seed)));
    }

    public ImmutableList<String> passNames() {
        ImmutableList.Builder<String> b = ImmutableList.builder();
        cleanup.forEach(p -> b.add(p.name()));
        router.ifPresent(r -> b.add(r.name()));
        return b.build();
    }

    public Result run(Circuit c) {
        List<String> log = new ArrayList<>();
        CircuitVerifier.check(c);
        Circuit cur = optimise(c, log);
        Optional<RoutingResult> routing = Optional.empty();
        if (router.isPresent()) {
            RoutingResult r = router.get().route(cur);
            log.add(String.format("%-22s ops %4d -> %4d, %d swap(s)", router.get().name(), cur.ops().size(), r.circuit().ops().size(), r.swaps()));
            cur = CircuitVerifier.check(r.circuit());
            cur = optimise(cur, log);
            routing = Optional.of(new RoutingResult(cur, r.initialLayout(), r.finalLayout(), r.swaps()));
        }
        return new Result(cur, routing, ImmutableList.copyOf(log));
    }

    private Circuit optimise(Circuit c, List<String> log) {
        Circuit cur = c;
        for (int round = 0; round < (repeat ? MAX_ROUNDS : 1); round++) {
            Circuit before = cur;
            for (CircuitPass p : cleanup) {
                Circuit next = CircuitVerifier.check(p.run(cur));
                log.add(String.format("%-22s ops %4d -> %4d, 2q %3d -> %3d", p.name(), cur.ops().size(), next.ops().size(),
                        cur.twoQubitGateCount(), next.twoQubitGateCount()));
                cur = next;
            }
            if (cur.equals(before)) break;
        }
        return cur;
    }
}
