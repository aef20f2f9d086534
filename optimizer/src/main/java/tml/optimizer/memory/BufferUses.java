package tml.optimizer.memory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tml.ir.loop.Buffer;
import tml.ir.loop.Expr;
import tml.ir.loop.Kernel;
import tml.ir.loop.Program;
import tml.ir.loop.Stmt;

/** Which buffers each kernel reads and writes, by name (views not resolved). */
public final class BufferUses {
    public record Uses(Set<String> reads, Set<String> writes) {
        public Set<String> all() {
            Set<String> s = new LinkedHashSet<>(reads);
            s.addAll(writes);
            return s;
        }
    }

    private BufferUses() {}

    public static List<Uses> of(Program p) {
        return p.kernels().stream().map(BufferUses::of).toList();
    }

    public static Uses of(Kernel k) {
        Uses u = new Uses(new LinkedHashSet<>(), new LinkedHashSet<>());
        stmt(k.body(), u);
        return u;
    }

    private static void stmt(Stmt s, Uses u) {
        switch (s) {
            case Stmt.For f -> {
                expr(f.lo(), u);
                expr(f.hi(), u);
                stmt(f.body(), u);
            }
            case Stmt.Store st -> {
                u.writes().add(st.buffer());
                expr(st.index(), u);
                expr(st.value(), u);
            }
            case Stmt.Block b -> b.stmts().forEach(x -> stmt(x, u));
            case Stmt.If i -> {
                expr(i.cond(), u);
                stmt(i.then(), u);
                i.otherwise().ifPresent(o -> stmt(o, u));
            }
            case Stmt.Local l -> expr(l.init(), u);
            case Stmt.Assign a -> expr(a.value(), u);
        }
    }

    private static void expr(Expr e, Uses u) {
        switch (e) {
            case Expr.Load l -> {
                u.reads().add(l.buffer());
                expr(l.index(), u);
            }
            case Expr.Binary b -> {
                expr(b.a(), u);
                expr(b.b(), u);
            }
            case Expr.Select s -> {
                expr(s.cond(), u);
                expr(s.a(), u);
                expr(s.b(), u);
            }
            case Expr.Cast c -> expr(c.value(), u);
            case Expr.Call c -> expr(c.arg(), u);
            case Expr.IntConst c -> { }
            case Expr.FloatConst c -> { }
            case Expr.Var v -> { }
        }
    }

    /** Name of the buffer owning each buffer's memory (itself unless it is a view). */
    public static Map<String, String> roots(Program p) {
        Map<String, String> r = new HashMap<>();
        for (Buffer b : p.buffers()) r.put(b.name(), p.root(b).name());
        return r;
    }
}
