package tml.cli;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.optimizer.quantum.CircuitPassManager;
import tml.optimizer.quantum.RoutingResult;

/**
 * {@code -O0..-O3} and {@code --device} for circuits ({@code tmlc build}, {@code run}, {@code ir}):
 * the quantum pass pipelines of {@link CircuitPassManager}, routing onto a declared device.
 */
final class CircuitOptimize {
    private CircuitOptimize() {}

    /** The optimized (and, with a device, routed) circuit and the log of the passes that ran. */
    record Optimized(Circuit circuit, Optional<RoutingResult> routing, ImmutableList<String> log) {}

    /** The level given by -O, else {@code defaultLevel}. */
    static int level(Options o, int defaultLevel) throws UsageException {
        List<String> levels = o.all("O");
        if (levels.size() > 1) throw new UsageException("-O is given more than once");
        if (levels.isEmpty()) return defaultLevel;
        String l = levels.get(0);
        if (!l.matches("[0-3]")) throw new UsageException("-O needs a level: -O0, -O1, -O2 or -O3, got '-O" + l + "'");
        return Integer.parseInt(l);
    }

    /** --passes and --print-ir-after name graph passes; a circuit takes only -O levels. */
    static void rejectGraphPassOptions(Options o) throws UsageException {
        if (o.flag("passes") || o.flag("print-ir-after")) {
            throw new UsageException("--passes and --print-ir-after name graph passes (networks); circuits take -O0..-O3");
        }
    }

    /** Checks that a device can hold a circuit. */
    static void checkFits(Device d, Circuit c) throws UsageException {
        if (d.numQubits() < c.numQubits()) {
            throw new UsageException("device '" + d.name() + "' has " + d.numQubits() + " qubits; circuit '" + c.name() + "' needs " + c.numQubits());
        }
    }

    /** Runs the pipeline of a level (nothing at -O0 without a device). */
    static Optimized run(Circuit c, int level, Optional<Device> device, long seed) {
        if (level == 0 && device.isEmpty()) return new Optimized(c, Optional.empty(), ImmutableList.of());
        CircuitPassManager.Result r = CircuitPassManager.forLevel(level, device, seed).run(c);
        return new Optimized(r.circuit(), r.routing(), r.log());
    }
}
