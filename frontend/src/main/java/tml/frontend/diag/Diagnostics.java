package tml.frontend.diag;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects diagnostics of one compilation, dropping exact duplicates and capping the count. */
public final class Diagnostics {
    public static final int MAX_ERRORS = 100;
    private final List<Diagnostic> all = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int errors;

    public void add(Diagnostic d) {
        String key = d.severity() + "|" + d.path() + "|" + d.line() + ":" + d.column() + "|" + d.message();
        if (!seen.add(key)) return;
        if (d.isError()) {
            if (errors >= MAX_ERRORS) return;
            errors++;
        }
        all.add(d);
    }

    public void error(Span span, String message) { add(Diagnostic.error(span, message)); }
    public void warning(Span span, String message) { add(Diagnostic.warning(span, message)); }

    public boolean hasErrors() { return errors > 0; }
    public int errorCount() { return errors; }

    public ImmutableList<Diagnostic> all() {
        List<Diagnostic> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> {
            int c = a.path().compareTo(b.path());
            if (c != 0) return c;
            c = Integer.compare(a.span().map(Span::start).orElse(-1), b.span().map(Span::start).orElse(-1));
            return c;
        });
        return ImmutableList.copyOf(sorted);
    }
}
