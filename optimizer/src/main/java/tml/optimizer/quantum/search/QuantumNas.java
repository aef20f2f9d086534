package tml.optimizer.quantum.search;

import com.google.common.collect.ImmutableList;
import java.util.Locale;
import java.util.function.Consumer;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.Device;
import tml.optimizer.quantum.SabreRoute;

/**
 * QuantumNAS (Wang et al., HPCA 2022, arXiv:2107.10845) on a TML SuperCircuit: (1) train the
 * SuperCircuit's shared weights with sampled SubCircuits and adjoint gradients; (2) search
 * SubCircuit and qubit mapping by evolution, scored under the device's noise model with
 * inherited weights; (3) prune the winner's small rotations iteratively with fine-tuning. For
 * comparison the largest and smallest configurations are scored on SABRE's layout with the same
 * inherited weights. Deterministic for the options' seeds.
 */
public final class QuantumNas {
    private QuantumNas() {}

    public static QnasResult run(SuperCircuit sc, Device device, ClassificationTask task, QnasOptions o, Consumer<String> progress) {
        Readout readout = new Readout(task.numClasses(), o.readoutScale());
        SharedWeights w = SharedWeights.random(sc.circuit().params(), o.initScale(), o.seed());
        try (ExactLoss loss = new ExactLoss(readout)) {
            progress.accept(String.format(Locale.ROOT, "SuperCircuit %s at %s: %d qubits, %s, %d shared weights; %d configurations; task %s (%d train, %d validation)",
                    sc.circuit().name(), sc.largestConfig(), sc.circuit().numQubits(), GateCounts.of(sc.circuit()), w.size(), sc.space().size(),
                    task.name(), task.train().size(), task.validation().size()));
            double trainLoss = SuperCircuitTrainer.train(sc, w, task.train(), loss, o.train(), progress);
            NoisyEvaluator evaluator = new NoisyEvaluator(device, readout);
            EvolutionarySearch search = new EvolutionarySearch(sc, w, evaluator, task.validation());
            SearchResult found = search.run(o.evolution(), progress);
            ImmutableList<Baseline> baselines = ImmutableList.of(
                    baseline("largest", sc.largestConfig(), sc, device, search, o.seed()),
                    baseline("smallest", sc.space().smallest(), sc, device, search, o.seed()));
            Circuit sub = sc.subCircuit(found.best().config());
            ImmutableList<Integer> layout = found.best().layout(sub.numQubits());
            PruneResult pruned = GatePruner.run(sub, w, task.train(), task.validation(), loss, evaluator, layout, o.prune(), progress);
            return new QnasResult(w, trainLoss, found, baselines, pruned, pruned.circuit(), layout);
        }
    }

    /** A configuration on SABRE's initial layout for it, scored with inherited weights. */
    static Baseline baseline(String label, SubConfig config, SuperCircuit sc, Device device, EvolutionarySearch search, long seed) {
        Circuit c = sc.subCircuit(config);
        ImmutableList<Integer> layout = new SabreRoute(device, seed).route(c).initialLayout();
        java.util.List<Integer> mapping = new java.util.ArrayList<>(layout);
        for (int p = 0; p < device.numQubits(); p++) if (!mapping.contains(p)) mapping.add(p);
        return new Baseline(label, config, layout, search.evaluate(new Candidate(config, ImmutableList.copyOf(mapping))));
    }
}
