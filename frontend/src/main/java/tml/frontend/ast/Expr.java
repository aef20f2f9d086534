package tml.frontend.ast;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import tml.frontend.diag.Span;

/** Expressions. All are evaluated at compile time; tensor-valued ones build graph nodes. */
public sealed interface Expr extends Node {
    record IntLit(Span span, long value) implements Expr {}
    record FloatLit(Span span, double value) implements Expr {}
    /** A number with a unit, already converted to the base unit (bytes, hertz, seconds). */
    record QuantityLit(Span span, double value, String unit, boolean integral) implements Expr {}
    record StrLit(Span span, String value) implements Expr {}
    record BoolLit(Span span, boolean value) implements Expr {}
    record Name(Span span, String name) implements Expr {}
    record Member(Span span, Expr target, String name, Span nameSpan) implements Expr {}
    record Call(Span span, Expr callee, ImmutableList<Arg> args) implements Expr {}
    record Index(Span span, Expr target, Expr index) implements Expr {}
    record Unary(Span span, UnaryOp op, Expr operand) implements Expr {}
    record Binary(Span span, BinaryOp op, Expr lhs, Expr rhs, Span opSpan) implements Expr {}
    record Range(Span span, Expr from, Expr to, boolean inclusive) implements Expr {}
    /** {@code lhs |> stage}: the stage is called with lhs as its first argument. */
    record Pipe(Span span, Expr lhs, Expr stage) implements Expr {}
    /** {@code label: e}: names the layer or block call e. */
    record Labeled(Span span, String label, Span labelSpan, Expr expr) implements Expr {}
    record If(Span span, Expr cond, Body then, Optional<Body> otherwise, Optional<If> elseIf) implements Expr {}
    /** {@code seq { stages }}: a function of one tensor applying its stages in order. */
    record Seq(Span span, Body body) implements Expr {}
    record ListLit(Span span, ImmutableList<Expr> elements) implements Expr {}
    record TupleLit(Span span, ImmutableList<Expr> elements) implements Expr {}
    record Unit(Span span) implements Expr {}

    /** A call argument, positional or named. */
    record Arg(Span span, Optional<String> name, Expr value) implements Node {}

    enum UnaryOp {
        NEG("-"), POS("+"), NOT("!");
        public final String text;
        UnaryOp(String text) { this.text = text; }
    }

    enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), MATMUL("@"), POW("**"),
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), AND("&&"), OR("||");
        public final String text;
        BinaryOp(String text) { this.text = text; }
    }
}
