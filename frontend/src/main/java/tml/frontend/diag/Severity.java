package tml.frontend.diag;

public enum Severity {
    ERROR("error"), WARNING("warning"), NOTE("note");
    public final String text;
    Severity(String text) { this.text = text; }
}
