package tml.langtests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expectations written in the comments of one lang-test:
 * <pre>
 *   // RUN: report --network N --param k=v     the tmlc command (default: check); the file is appended
 *   // expect-error@+1:17: message text        a diagnostic on the next line (also @-N, @N absolute, @+0 this line)
 *   // expect-error@lib/m.tml:3:8: message     a diagnostic in another file (an imported module), path relative to this one
 *   // expect-warning@+1:5: message text
 *   // CHECK: text                              a later output line contains text
 *   // CHECK-NEXT: text                         the very next output line contains text
 *   // CHECK-NOT: text                          no output line between the neighbouring CHECKs contains text
 * </pre>
 */
record LangTestFile(List<String> args, List<ExpectedDiag> diagnostics, List<Check> checks) {

    /** A diagnostic; {@code file} is empty for this test's file, else the other file's path relative to it. */
    record ExpectedDiag(String severity, int line, int column, String message, String file) {
        ExpectedDiag(String severity, int line, int column, String message) { this(severity, line, column, message, ""); }
        @Override public String toString() { return (file.isEmpty() ? "" : file + ":") + line + ":" + column + ": " + severity + ": " + message; }
    }

    record Check(Kind kind, String text, int line) {}

    enum Kind { CHECK, NEXT, NOT }

    private static final Pattern DIAG = Pattern.compile("//\\s*expect-(error|warning)@([+-]?\\d+):(\\d+):\\s*(.*)$");
    private static final Pattern OTHER_FILE_DIAG = Pattern.compile("//\\s*expect-(error|warning)@([\\w./-]+\\.tml):(\\d+):(\\d+):\\s*(.*)$");
    private static final Pattern RUN = Pattern.compile("//\\s*RUN:\\s*(.*)$");
    private static final Pattern CHECK = Pattern.compile("//\\s*CHECK(-NEXT|-NOT)?:\\s?(.*)$");

    static LangTestFile parse(String text) {
        List<String> args = new ArrayList<>();
        List<ExpectedDiag> diags = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            Matcher m = RUN.matcher(line);
            if (m.find()) {
                args.addAll(split(m.group(1).trim()));
                continue;
            }
            m = OTHER_FILE_DIAG.matcher(line);
            if (m.find()) {
                diags.add(new ExpectedDiag(m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), m.group(5).trim(), m.group(2)));
                continue;
            }
            m = DIAG.matcher(line);
            if (m.find()) {
                String spec = m.group(2);
                int target = spec.startsWith("+") || spec.startsWith("-") ? lineNo + Integer.parseInt(spec) : Integer.parseInt(spec);
                diags.add(new ExpectedDiag(m.group(1), target, Integer.parseInt(m.group(3)), m.group(4).trim()));
                continue;
            }
            m = CHECK.matcher(line);
            if (m.find()) {
                Kind k = m.group(1) == null ? Kind.CHECK : m.group(1).equals("-NEXT") ? Kind.NEXT : Kind.NOT;
                checks.add(new Check(k, m.group(2).trim(), lineNo));
            }
        }
        if (args.isEmpty()) args.add("check");
        return new LangTestFile(args, diags, checks);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }
}
