package tml.ir.loop;

import java.util.regex.Pattern;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr.*;
import tml.ir.loop.Stmt.*;

/**
 * Prints the textual form of the loop IR (see ir/README.md). {@link LoopParser} reads it back to an
 * equal {@link Program} for every program, valid or not: names that are not plain are quoted, floats
 * are printed exactly, and parentheses are written where precedence needs them.
 */
public final class LoopPrinter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9_]+");

    private final StringBuilder sb = new StringBuilder();

    private LoopPrinter() {}

    public static String print(Program p) {
        LoopPrinter pr = new LoopPrinter();
        pr.program(p);
        return pr.sb.toString();
    }

    public static String print(Stmt s) {
        LoopPrinter pr = new LoopPrinter();
        pr.stmt(s, 0);
        return pr.sb.toString();
    }

    public static String print(Expr e) {
        LoopPrinter pr = new LoopPrinter();
        pr.expr(e);
        return pr.sb.toString();
    }

    private void program(Program p) {
        sb.append("program @").append(name(p.name(), PLAIN)).append(" {\n");
        sb.append("  arena ").append(p.arenaBytes()).append('\n');
        sb.append("  weights ").append(p.weightBytes()).append('\n');
        for (Buffer b : p.buffers()) {
            sb.append("  buffer %").append(name(b.name(), PLAIN)).append(" : ").append(b.type().text())
                    .append('[').append(b.count()).append("] ");
            role(b.role());
            sb.append('\n');
        }
        for (Kernel k : p.kernels()) {
            sb.append("  kernel @").append(name(k.name(), PLAIN));
            if (!k.inPlace().isEmpty()) {
                sb.append(" inplace(");
                for (int i = 0; i < k.inPlace().size(); i++) {
                    sb.append(i == 0 ? "%" : ", %").append(name(k.inPlace().get(i), PLAIN));
                }
                sb.append(')');
            }
            sb.append(" {\n");
            for (Stmt s : k.body().stmts()) stmt(s, 2);
            sb.append("  }\n");
        }
        sb.append("}\n");
    }

    private void role(Role r) {
        switch (r) {
            case Role.Input in -> sb.append("input ").append(in.index());
            case Role.Output out -> sb.append("output ").append(out.index());
            case Role.Weight w -> {
                sb.append("weight ").append(offset(w.offset()));
                w.packed().ifPresent(pk -> sb.append(" = ").append(pk.transform().text).append("(%").append(name(pk.source(), PLAIN)).append(')'));
            }
            case Role.Arena a -> sb.append("arena ").append(offset(a.offset()));
            case Role.Scratch s -> sb.append("scratch ").append(offset(s.offset()));
            case Role.View v -> sb.append("view %").append(name(v.source(), PLAIN));
        }
    }

    private static String offset(long o) { return o == Role.UNPLANNED ? "?" : Long.toString(o); }

    static String name(String n, Pattern plain) {
        if (plain.matcher(n).matches()) return n;
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7e) q.append(String.format("\\u%04x", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }

    private void indent(int n) { sb.append("  ".repeat(n)); }

    private void stmt(Stmt s, int depth) {
        indent(depth);
        switch (s) {
            case For f -> {
                sb.append("for $").append(name(f.var(), PLAIN_SCALAR)).append(" in ");
                expr(f.lo());
                sb.append(" .. ");
                expr(f.hi());
                if (!(f.annotation() instanceof Annotation.Serial)) sb.append(' ').append(f.annotation());
                body(f.body(), depth);
                sb.append('\n');
            }
            case Store st -> {
                sb.append('%').append(name(st.buffer(), PLAIN)).append('[');
                expr(st.index());
                sb.append("] = ");
                expr(st.value());
                sb.append('\n');
            }
            case Block b -> {
                if (b.stmts().isEmpty()) {
                    sb.append("{}\n");
                } else {
                    sb.append("{\n");
                    for (Stmt x : b.stmts()) stmt(x, depth + 1);
                    indent(depth);
                    sb.append("}\n");
                }
            }
            case If i -> {
                sb.append("if ");
                expr(i.cond());
                body(i.then(), depth);
                if (i.otherwise().isPresent()) {
                    sb.append(" else");
                    body(i.otherwise().get(), depth);
                }
                sb.append('\n');
            }
            case Local l -> {
                sb.append("var $").append(name(l.name(), PLAIN_SCALAR)).append(" : ").append(l.type().text()).append(" = ");
                expr(l.init());
                sb.append('\n');
            }
            case Assign a -> {
                sb.append('$').append(name(a.name(), PLAIN_SCALAR)).append(" = ");
                expr(a.value());
                sb.append('\n');
            }
        }
    }

    /** Prints " {", the statements one level deeper, and the closing brace (without a newline). */
    private void body(Block b, int depth) {
        if (b.stmts().isEmpty()) {
            sb.append(" {}");
            return;
        }
        sb.append(" {\n");
        for (Stmt s : b.stmts()) stmt(s, depth + 1);
        indent(depth);
        sb.append('}');
    }

    private void expr(Expr e) {
        switch (e) {
            case IntConst c -> sb.append(c.value());
            case FloatConst f -> sb.append(f.type() == ScalarType.F32 ? Float.toString((float) f.value()) : Double.toString(f.value()) + "d");
            case Var v -> sb.append('$').append(name(v.name(), PLAIN_SCALAR));
            case Load l -> {
                sb.append('%').append(name(l.buffer(), PLAIN)).append('[');
                expr(l.index());
                sb.append(']');
            }
            case Binary b when !b.op().isInfix() -> call(b.op().symbol, b.a(), b.b());
            case Binary b -> {
                int p = b.op().precedence;
                operand(b.a(), precedence(b.a()) < p || (p == 3 && precedence(b.a()) == 3));
                sb.append(' ').append(b.op().symbol).append(' ');
                operand(b.b(), precedence(b.b()) <= p);
            }
            case Select s -> call("select", s.cond(), s.a(), s.b());
            case Cast c -> call(c.type().text(), c.value());
            case Call c -> call(c.fn().text, c.arg());
        }
    }

    private static int precedence(Expr e) {
        return e instanceof Binary b && b.op().isInfix() ? b.op().precedence : Integer.MAX_VALUE;
    }

    private void operand(Expr e, boolean parens) {
        if (parens) sb.append('(');
        expr(e);
        if (parens) sb.append(')');
    }

    private void call(String fn, Expr... args) {
        sb.append(fn).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) sb.append(", ");
            expr(args[i]);
        }
        sb.append(')');
    }
}
