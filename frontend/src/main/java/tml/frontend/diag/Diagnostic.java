package tml.frontend.diag;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/** A message about the user's input: data, rendered as text or JSON only at the edge (the CLI). */
public record Diagnostic(Severity severity, Optional<Span> span, String path, String message, ImmutableList<Note> notes) {

    /** A secondary message, optionally pointing at another place. */
    public record Note(Optional<Span> span, String message) {}

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, Optional.of(span), span.file().path(), message, ImmutableList.of());
    }

    public static Diagnostic warning(Span span, String message) {
        return new Diagnostic(Severity.WARNING, Optional.of(span), span.file().path(), message, ImmutableList.of());
    }

    /** An error about a file as a whole (unreadable, not found), with no position in it. */
    public static Diagnostic fileError(String path, String message) {
        return new Diagnostic(Severity.ERROR, Optional.empty(), path, message, ImmutableList.of());
    }

    public Diagnostic withNote(Span at, String note) {
        return new Diagnostic(severity, span, path, message,
                ImmutableList.<Note>builder().addAll(notes).add(new Note(Optional.ofNullable(at), note)).build());
    }

    public boolean isError() { return severity == Severity.ERROR; }

    public int line() { return span.map(Span::line).orElse(0); }
    public int column() { return span.map(Span::column).orElse(0); }
}
