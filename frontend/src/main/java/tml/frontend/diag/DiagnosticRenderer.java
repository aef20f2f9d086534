package tml.frontend.diag;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Renders diagnostics as {@code file:line:col: error: message} with the source line and a caret, or as JSON lines. */
public final class DiagnosticRenderer {
    private static final int MAX_SHOWN_LINE = 160;

    private DiagnosticRenderer() {}

    public static String text(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        header(sb, d.path(), d.span().orElse(null), d.severity().text, d.message());
        d.span().ifPresent(s -> excerpt(sb, s));
        for (Diagnostic.Note n : d.notes()) {
            header(sb, n.span().map(s -> s.file().path()).orElse(d.path()), n.span().orElse(null), "note", n.message());
            n.span().ifPresent(s -> excerpt(sb, s));
        }
        return sb.toString();
    }

    private static void header(StringBuilder sb, String path, Span span, String severity, String message) {
        sb.append(path);
        if (span != null) sb.append(':').append(span.line()).append(':').append(span.column());
        sb.append(": ").append(severity).append(": ").append(shorten(message)).append('\n');
    }

    private static void excerpt(StringBuilder sb, Span s) {
        String line = s.file().line(s.line());
        int col = s.column() - 1;
        int from = 0;
        if (line.length() > MAX_SHOWN_LINE) {
            from = Math.max(0, Math.min(col - MAX_SHOWN_LINE / 2, line.length() - MAX_SHOWN_LINE));
            line = (from > 0 ? "..." : "") + line.substring(from, Math.min(line.length(), from + MAX_SHOWN_LINE))
                    + (from + MAX_SHOWN_LINE < line.length() ? "..." : "");
            col = col - from + (from > 0 ? 3 : 0);
        }
        StringBuilder printable = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            printable.append(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isSurrogate(c)) ? '?' : c);
        }
        sb.append("  ").append(printable).append('\n');
        int len = Math.max(1, Math.min(s.end() - s.start(), Math.max(1, printable.length() - col)));
        if (s.file().lineOf(s.end()) != s.line()) len = Math.max(1, printable.length() - col);
        sb.append("  ").append(" ".repeat(Math.max(0, col))).append('^').append("~".repeat(Math.max(0, Math.min(len, 80) - 1))).append('\n');
    }

    private static final int MAX_MESSAGE = 1000;

    /** Messages quote the user's text (names, literals); a 10 MB identifier must not make a 10 MB message. */
    static String shorten(String message) {
        if (message.length() <= MAX_MESSAGE) return message;
        int head = MAX_MESSAGE - 200, tail = message.length() - 150;
        if (Character.isHighSurrogate(message.charAt(head - 1))) head--;
        if (Character.isLowSurrogate(message.charAt(tail))) tail++;
        return message.substring(0, head) + " ... " + message.substring(tail);
    }

    public static String json(Diagnostic d) {
        JsonObject o = new JsonObject();
        o.addProperty("severity", d.severity().text);
        o.addProperty("file", d.path());
        d.span().ifPresent(s -> {
            o.addProperty("line", s.line());
            o.addProperty("column", s.column());
            o.addProperty("endLine", s.file().lineOf(s.end()));
            o.addProperty("endColumn", s.file().columnOf(s.end()));
        });
        o.addProperty("message", shorten(d.message()));
        JsonArray notes = new JsonArray();
        for (Diagnostic.Note n : d.notes()) {
            JsonObject no = new JsonObject();
            no.addProperty("message", shorten(n.message()));
            n.span().ifPresent(s -> {
                no.addProperty("file", s.file().path());
                no.addProperty("line", s.line());
                no.addProperty("column", s.column());
            });
            notes.add(no);
        }
        o.add("notes", notes);
        return o.toString();
    }
}
