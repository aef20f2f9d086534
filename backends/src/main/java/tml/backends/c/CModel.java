package tml.backends.c;

/**
 * An exported model: the public name prefix of its C API ({@code PREFIX_forward}, {@code PREFIX_forward_arena},
 * {@code PREFIX_IN0_COUNT}, ...), and the header and source file names and texts.
 */
public record CModel(String prefix, String headerName, String header, String sourceName, String source) {}
