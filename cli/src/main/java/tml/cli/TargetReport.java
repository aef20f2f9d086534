package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tml.backends.elf.ElfSections;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Span;
import tml.ir.loop.Buffer;
import tml.optimizer.memory.MemoryPlan;

/**
 * A {@link Footprint} held against a {@link Board}: the target section of {@code tmlc report --target}
 * (text and JSON) and the budget refusals of {@code tmlc build --target}. Both read the same numbers,
 * so what the report calls OK is exactly what the build accepts.
 */
record TargetReport(Board board, Footprint fp) {
    /** How many tensors a line or a diagnostic names before "and N more". */
    static final int LISTED = 5;

    boolean sramFits() { return !board.hasBudget() || fp.sramBytes() <= board.sramBytes(); }
    boolean flashFits() { return !board.hasBudget() || fp.flashBytes() <= board.flashBytes(); }

    private static String bytes(long v) { return String.format(Locale.ROOT, "%,d B", v); }
    private static String num(long v) { return String.format(Locale.ROOT, "%,d", v); }

    private static String percent(long part, long whole) { return String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole); }

    private static String clock(double hz) {
        if (hz <= 0) return "";
        return hz >= 1e6 ? String.format(Locale.ROOT, "%s MHz", trim(hz / 1e6)) : String.format(Locale.ROOT, "%s kHz", trim(hz / 1e3));
    }

    private static String trim(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }

    /** "a (1,024 B), b (512 B), ... and 3 more" */
    private static String list(List<String> names, List<Long> sizes) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(LISTED, names.size()); i++) parts.add(names.get(i) + " (" + bytes(sizes.get(i)) + ")");
        String s = String.join(", ", parts);
        return names.size() > LISTED ? s + ", ... and " + (names.size() - LISTED) + " more" : s;
    }

    private String liveList(MemoryPlan.Peak peak) {
        return list(peak.live().stream().map(p -> p.name() + (p.scratch() ? " [scratch]" : "")).toList(),
                peak.live().stream().map(MemoryPlan.Placement::bytes).toList());
    }

    private String weightList() {
        ImmutableList<Buffer> ws = fp.weightsBySize();
        return list(ws.stream().map(Buffer::name).toList(), ws.stream().map(Buffer::bytes).toList());
    }

    /** Allocated sections with contents that are not .text, .rodata or .data (e.g. .ARM.exidx). */
    private List<ElfSections.Section> otherCode() {
        return fp.object().sections().stream().filter(x -> x.allocated() && !x.noBits())
                .filter(x -> List.of(".text", ".rodata", ".data").stream().noneMatch(p -> x.name().equals(p) || x.name().startsWith(p + ".")))
                .toList();
    }

    private long otherCodeBytes() { return otherCode().stream().mapToLong(ElfSections.Section::size).sum(); }

    private String header() {
        StringBuilder sb = new StringBuilder("target ").append(board.name()).append(": ").append(board.core());
        String c = clock(board.clockHz());
        if (!c.isEmpty()) sb.append(", ").append(c);
        if (board.hasBudget()) sb.append(", SRAM ").append(bytes(board.sramBytes())).append(", Flash ").append(bytes(board.flashBytes()));
        else sb.append(" (a core: no budgets)");
        List<String> about = new ArrayList<>();
        board.boardName().ifPresent(about::add);
        board.qemuMachine().ifPresent(q -> about.add("QEMU " + q));
        board.declSpan().ifPresent(s -> about.add("declared at " + s));
        if (!about.isEmpty()) sb.append(" (").append(String.join("; ", about)).append(")");
        return sb.toString();
    }

    String toText() {
        MemoryPlan plan = fp.plan();
        MemoryPlan.Peak peak = plan.peak();
        StringBuilder sb = new StringBuilder();
        sb.append(header()).append('\n');
        sb.append("compiled as by 'tmlc build': graph passes and LLVM at -").append(fp.level()).append(", code for ").append(fp.core()).append('\n');
        sb.append("SRAM: ").append(bytes(fp.sramBytes())).append('\n');
        sb.append("  arena: ").append(bytes(plan.arenaBytes())).append(" (activations ").append(bytes(plan.activationBytes()))
                .append(", scratch ").append(bytes(plan.scratchBytes())).append("); lower bounds: live ").append(bytes(plan.liveLowerBound()))
                .append(", largest layer ").append(bytes(plan.pairLowerBound())).append('\n');
        if (!peak.live().isEmpty()) {
            sb.append("  peak: ").append(bytes(peak.liveBytes())).append(" live at kernel '").append(peak.kernelName()).append("' (")
                    .append(peak.kernel() + 1).append(" of ").append(plan.program().kernels().size()).append("): ").append(liveList(peak)).append('\n');
        }
        sb.append("  inputs: ").append(bytes(fp.inputBytes())).append(", outputs: ").append(bytes(fp.outputBytes()))
                .append(", static data: ").append(bytes(fp.staticRamBytes())).append('\n');
        sb.append("Flash: ").append(bytes(fp.flashBytes())).append('\n');
        ElfSections o = fp.object();
        sb.append("  code: ").append(bytes(fp.codeBytes())).append(" (.text ").append(bytes(o.bytesOf(".text"))).append(", .rodata ")
                .append(bytes(o.bytesOf(".rodata"))).append(", .data ").append(bytes(o.bytesOf(".data")));
        for (ElfSections.Section x : otherCode()) sb.append(", ").append(x.name()).append(' ').append(bytes(x.size()));
        sb.append(")\n");
        sb.append("  weights: ").append(bytes(fp.weightBytes())).append('\n');
        if (board.hasBudget()) {
            sb.append("budget: SRAM ").append(num(fp.sramBytes())).append(" of ").append(bytes(board.sramBytes())).append(" (")
                    .append(percent(fp.sramBytes(), board.sramBytes())).append(") ").append(sramFits() ? "OK" : "EXCEEDS")
                    .append(", Flash ").append(num(fp.flashBytes())).append(" of ").append(bytes(board.flashBytes())).append(" (")
                    .append(percent(fp.flashBytes(), board.flashBytes())).append(") ").append(flashFits() ? "OK" : "EXCEEDS").append('\n');
        }
        return sb.toString();
    }

    JsonObject toJson() {
        MemoryPlan plan = fp.plan();
        MemoryPlan.Peak peak = plan.peak();
        JsonObject t = new JsonObject();
        t.addProperty("name", board.name());
        t.addProperty("core", board.core());
        t.addProperty("clockHz", board.clockHz());
        board.boardName().ifPresent(b -> t.addProperty("board", b));
        board.qemuMachine().ifPresent(q -> t.addProperty("qemu", q));
        if (board.hasBudget()) {
            t.addProperty("sramBudgetBytes", board.sramBytes());
            t.addProperty("flashBudgetBytes", board.flashBytes());
        }
        t.addProperty("optLevel", fp.level().toString());
        JsonObject sram = new JsonObject();
        sram.addProperty("totalBytes", fp.sramBytes());
        sram.addProperty("arenaBytes", plan.arenaBytes());
        sram.addProperty("activationBytes", plan.activationBytes());
        sram.addProperty("scratchBytes", plan.scratchBytes());
        sram.addProperty("inputBytes", fp.inputBytes());
        sram.addProperty("outputBytes", fp.outputBytes());
        sram.addProperty("staticDataBytes", fp.staticRamBytes());
        sram.addProperty("liveLowerBoundBytes", plan.liveLowerBound());
        sram.addProperty("layerLowerBoundBytes", plan.pairLowerBound());
        if (peak.kernel() >= 0) {
            JsonObject pk = new JsonObject();
            pk.addProperty("kernel", peak.kernelName());
            pk.addProperty("kernelIndex", peak.kernel());
            pk.addProperty("liveBytes", peak.liveBytes());
            JsonArray live = new JsonArray();
            for (MemoryPlan.Placement p : peak.live()) {
                JsonObject l = new JsonObject();
                l.addProperty("name", p.name());
                l.addProperty("bytes", p.bytes());
                l.addProperty("scratch", p.scratch());
                live.add(l);
            }
            pk.add("live", live);
            sram.add("peak", pk);
        }
        t.add("sram", sram);
        JsonObject flash = new JsonObject();
        flash.addProperty("totalBytes", fp.flashBytes());
        flash.addProperty("codeBytes", fp.codeBytes());
        flash.addProperty("textBytes", fp.object().bytesOf(".text"));
        flash.addProperty("rodataBytes", fp.object().bytesOf(".rodata"));
        flash.addProperty("dataBytes", fp.object().bytesOf(".data"));
        flash.addProperty("otherCodeBytes", otherCodeBytes());
        flash.addProperty("weightBytes", fp.weightBytes());
        t.add("flash", flash);
        if (board.hasBudget()) {
            t.addProperty("sramFits", sramFits());
            t.addProperty("flashFits", flashFits());
        }
        return t;
    }

    /**
     * The errors of a build that does not fit: one for SRAM, one for Flash, each at the network's
     * declaration (what the user changes), with a note at the target's declaration.
     */
    ImmutableList<Diagnostic> refusals(Span network) {
        ImmutableList.Builder<Diagnostic> out = ImmutableList.builder();
        if (!sramFits()) {
            MemoryPlan.Peak peak = fp.plan().peak();
            String msg = "network '" + fp.network() + "' needs " + num(fp.sramBytes()) + " bytes of SRAM, but target '" + board.name()
                    + "' has " + num(board.sramBytes()) + ": arena " + num(fp.arenaBytes()) + " (activations " + num(fp.plan().activationBytes())
                    + ", scratch " + num(fp.plan().scratchBytes()) + "), inputs " + num(fp.inputBytes()) + ", outputs " + num(fp.outputBytes())
                    + (fp.staticRamBytes() > 0 ? ", static data " + num(fp.staticRamBytes()) : "")
                    + (!peak.live().isEmpty() ? "; at its peak (kernel '" + peak.kernelName() + "', " + num(peak.liveBytes())
                            + " bytes live) the largest live tensors are " + liveList(peak) : "");
            out.add(withNote(Diagnostic.error(network, msg)));
        }
        if (!flashFits()) {
            String msg = "network '" + fp.network() + "' needs " + num(fp.flashBytes()) + " bytes of Flash, but target '" + board.name()
                    + "' has " + num(board.flashBytes()) + ": weights " + num(fp.weightBytes()) + ", code " + num(fp.codeBytes())
                    + (fp.weightsBySize().isEmpty() ? "" : "; the largest weights are " + weightList());
            out.add(withNote(Diagnostic.error(network, msg)));
        }
        return out.build();
    }

    private Diagnostic withNote(Diagnostic d) {
        return board.declSpan().map(s -> d.withNote(s, "target '" + board.name() + "' is declared here")).orElse(d);
    }
}
