package tml.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.*;

/**
 * The parsed command line: a command, positional files and options. Options are {@code --name value}
 * or {@code --name=value}; flags take no value; the options a command accepts are declared by it.
 */
final class Options {
    final String command;
    final List<String> files = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Options(String command) { this.command = command; }

    /** Options shared by every command that compiles a file. */
    private static ImmutableMap.Builder<String, Boolean> common() {
        return ImmutableMap.<String, Boolean>builder().put("diagnostic-format", true).put("I", true).put("param", true);
    }

    /**
     * Options of each command: name → takes a value. One entry per command, each on its own lines,
     * so that adding a command or an option touches one place.
     */
    static final ImmutableMap<String, ImmutableMap<String, Boolean>> SPEC = ImmutableMap.<String, ImmutableMap<String, Boolean>>builder()
            .put("check", common().put("network", true).build())
            .put("run", common().put("network", true).put("weights", true).put("seed", true).put("input", true).put("output", true)
                    .put("target", true).put("accumulate", true).put("json", false)
                    .put("circuit", true).put("shots", true).put("noise", true).put("observable", true)
                    .put("O", true).put("passes", true).put("print-ir-after", true).build())
            .put("ir", common().put("network", true).put("parse", false).put("o", true).put("circuit", true)
                    .put("O", true).put("passes", true).put("print-ir-after", true).put("target", true)
                    .put("device", true).put("seed", true).put("level", true).build())
            .put("report", common().put("network", true).put("params", false).put("json", false).put("target", true)
                    .put("O", true).put("passes", true).build())
            .put("import", ImmutableMap.<String, Boolean>builder().put("diagnostic-format", true).put("o", true).put("circuit", true).build())
            .put("build", common().put("circuit", true).put("weights", true).put("seed", true).put("O", true).put("device", true)
                    .put("emit", true).put("o", true).put("network", true).put("target", true).build())
            .put("train", common().put("train", true).put("o", true).put("curve", true).put("limit-train", true).put("limit-test", true).put("seed", true).put("json", false).build())
            .put("search", common().put("search", true).put("json", false).put("o", true).build())
            .put("bench", common().put("network", true).put("target", true).put("runs", true).put("warmup", true).put("O", true)
                    .put("weights", true).put("seed", true).put("input", true).put("profile", false).put("json", false).build())
            .buildOrThrow();

    static Options parse(String[] args) throws UsageException {
        if (args.length == 0) throw new UsageException("no command given; try 'tmlc help'");
        String command = args[0];
        ImmutableMap<String, Boolean> spec = SPEC.get(command);
        if (spec == null) throw new UsageException("unknown command '" + command + "'; commands: " + String.join(", ", SPEC.keySet()) + ", help, version");
        Options o = new Options(command);
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && a.length() > 1) {
                String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
                String name = body, value = null;
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    name = body.substring(0, eq);
                    value = body.substring(eq + 1);
                } else if (name.length() > 1 && name.startsWith("I") && !spec.containsKey(name)) {
                    value = name.substring(1);
                    name = "I";
                } else if (name.startsWith("O") && !a.startsWith("--") && spec.containsKey("O")) {
                    value = name.substring(1); // -O2; a bare -O gives "" and the command reports the levels
                    name = "O";
                }
                Boolean takesValue = spec.get(name);
                if (takesValue == null) throw new UsageException("unknown option '" + a + "' for 'tmlc " + command + "'");
                if (takesValue && value == null) {
                    if (i + 1 >= args.length) throw new UsageException("option '--" + name + "' needs a value");
                    value = args[++i];
                }
                if (!takesValue && value != null) throw new UsageException("option '--" + name + "' takes no value");
                o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value == null ? "" : value);
            } else {
                o.files.add(a);
            }
        }
        return o;
    }

    boolean flag(String name) { return values.containsKey(name); }

    Optional<String> one(String name) throws UsageException {
        List<String> v = values.get(name);
        if (v == null) return Optional.empty();
        if (v.size() > 1) throw new UsageException("option '--" + name + "' is given more than once");
        return Optional.of(v.get(0));
    }

    ImmutableList<String> all(String name) { return ImmutableList.copyOf(values.getOrDefault(name, List.of())); }

    /** Repeated NAME=VALUE options as a map; duplicates are an error. */
    Map<String, String> pairs(String option) throws UsageException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : all(option)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new UsageException("option '--" + option + "' needs NAME=VALUE, got '" + kv + "'");
            String key = kv.substring(0, eq);
            if (out.put(key, kv.substring(eq + 1)) != null) throw new UsageException("'--" + option + " " + key + "=...' is given twice");
        }
        return out;
    }

    String singleFile() throws UsageException {
        if (files.isEmpty()) throw new UsageException("'tmlc " + command + "' needs a file");
        if (files.size() > 1) throw new UsageException("'tmlc " + command + "' takes one file, got " + files.size());
        return files.get(0);
    }
}
