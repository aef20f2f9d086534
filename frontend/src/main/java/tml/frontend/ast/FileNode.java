package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.frontend.diag.Span;

/** One parsed {@code .tml} file. */
public record FileNode(Span span, Optional<QualifiedName> module, ImmutableList<Import> imports, ImmutableList<Decl> decls) implements Node {

    public record QualifiedName(Span span, ImmutableList<String> parts) implements Node {
        public String dotted() { return String.join(".", parts); }
    }

    /** {@code import a.b.c} or {@code import a.b.c as x}. */
    public record Import(Span span, QualifiedName path, Optional<String> alias) implements Node {}
}
