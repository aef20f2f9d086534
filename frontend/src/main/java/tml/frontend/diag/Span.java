package tml.frontend.diag;

/** A half-open character range [start, end) of a source file. */
public record Span(SourceFile file, int start, int end) {
    public static Span of(SourceFile file, int start, int end) { return new Span(file, start, Math.max(start, end)); }

    public int line() { return file.lineOf(start); }
    public int column() { return file.columnOf(start); }

    public Span to(Span other) { return new Span(file, Math.min(start, other.start), Math.max(end, other.end)); }

    @Override public String toString() { return file.path() + ":" + line() + ":" + column(); }

    // Spans compare by position only so that AST equality ignores which SourceFile object holds the text.
    @Override public boolean equals(Object o) {
        return o instanceof Span s && s.start == start && s.end == end && s.file.path().equals(file.path());
    }

    @Override public int hashCode() { return 31 * start + end; }
}
