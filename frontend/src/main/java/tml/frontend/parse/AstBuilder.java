package tml.frontend.parse;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import tml.frontend.ast.*;
import tml.frontend.ast.Expr.*;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.SourceFile;
import tml.frontend.diag.Span;
import tml.grammar.TMLBaseVisitor;
import tml.grammar.TMLLexer;
import tml.grammar.TMLParser;
import tml.grammar.TMLParser.*;

/** Turns a parse tree (free of syntax errors) into immutable AST records. The parse tree stops here. */
final class AstBuilder extends TMLBaseVisitor<Object> {
    private final SourceFile file;
    private final BufferedTokenStream tokens;
    private final Diagnostics diags;

    AstBuilder(SourceFile file, BufferedTokenStream tokens, Diagnostics diags) {
        this.file = file;
        this.tokens = tokens;
        this.diags = diags;
    }

    private Span span(ParserRuleContext ctx) {
        Token stop = ctx.getStop() == null || ctx.getStop().getStopIndex() < ctx.getStart().getStartIndex() ? ctx.getStart() : ctx.getStop();
        return Span.of(file, ctx.getStart().getStartIndex(), stop.getStopIndex() + 1);
    }

    private Span span(Token t) { return Span.of(file, t.getStartIndex(), t.getStopIndex() + 1); }

    Expr expr(ExprContext ctx) { return (Expr) visit(ctx); }

    private ImmutableList<Expr> exprs(List<ExprContext> ctxs) { return ctxs.stream().map(this::expr).collect(ImmutableList.toImmutableList()); }

    private Optional<String> doc(ParserRuleContext ctx) {
        List<Token> hidden = tokens.getHiddenTokensToLeft(ctx.getStart().getTokenIndex(), 2);
        if (hidden == null || hidden.isEmpty()) return Optional.empty();
        StringBuilder sb = new StringBuilder();
        for (Token t : hidden) {
            String line = t.getText().substring(3);
            if (line.startsWith(" ")) line = line.substring(1);
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(line);
        }
        return Optional.of(sb.toString());
    }

    @Override public FileNode visitFile(FileContext ctx) {
        Optional<FileNode.QualifiedName> module = Optional.ofNullable(ctx.moduleDecl()).map(m -> qname(m.qualifiedName()));
        ImmutableList<FileNode.Import> imports = ctx.importDecl().stream()
                .map(i -> new FileNode.Import(span(i), qname(i.qualifiedName()), Optional.ofNullable(i.alias).map(Token::getText)))
                .collect(ImmutableList.toImmutableList());
        ImmutableList<Decl> decls = ctx.topDecl().stream().map(d -> (Decl) visit(d)).collect(ImmutableList.toImmutableList());
        return new FileNode(Span.of(file, 0, file.text().length()), module, imports, decls);
    }

    private FileNode.QualifiedName qname(QualifiedNameContext ctx) {
        return new FileNode.QualifiedName(span(ctx), ctx.IDENT().stream().map(t -> t.getText()).collect(ImmutableList.toImmutableList()));
    }

    private ImmutableList<ParamDecl> params(ParamListContext ctx) {
        if (ctx == null) return ImmutableList.of();
        return ctx.param().stream().map(p -> new ParamDecl(span(p), p.name.getText(),
                Optional.ofNullable(p.type()).map(this::type), Optional.ofNullable(p.defaultValue).map(this::expr)))
                .collect(ImmutableList.toImmutableList());
    }

    Body body(BodyContext ctx) {
        return new Body(span(ctx), ctx.stmt().stream().map(s -> (Stmt) visit(s)).collect(ImmutableList.toImmutableList()));
    }

    @Override public Decl visitNetworkDecl(NetworkDeclContext ctx) {
        return new Decl.Network(span(ctx), ctx.name.getText(), span(ctx.name), doc(ctx), params(ctx.paramList()), body(ctx.body()));
    }

    @Override public Decl visitBlockDecl(BlockDeclContext ctx) {
        return new Decl.Block(span(ctx), ctx.name.getText(), span(ctx.name), doc(ctx), params(ctx.paramList()), body(ctx.body()));
    }

    @Override public Decl visitFnDecl(FnDeclContext ctx) {
        return new Decl.Fn(span(ctx), ctx.name.getText(), span(ctx.name), doc(ctx), params(ctx.paramList()),
                Optional.ofNullable(ctx.ret).map(this::type), body(ctx.body()));
    }

    @Override public Decl visitCircuitDecl(CircuitDeclContext ctx) {
        return new Decl.Circuit(span(ctx), ctx.name.getText(), span(ctx.name), doc(ctx), params(ctx.paramList()), body(ctx.body()));
    }

    @Override public Decl visitConstDecl(ConstDeclContext ctx) {
        Pattern p = pattern(ctx.pattern());
        String name = p instanceof Pattern.NamePat n ? n.name() : "<pattern>";
        return new Decl.Const(span(ctx), name, p.span(), doc(ctx), p, Optional.ofNullable(ctx.type()).map(this::type), expr(ctx.expr()));
    }

    @Override public Decl visitPolicyDecl(PolicyDeclContext ctx) {
        return new Decl.Policy(span(ctx), ctx.kind.getText(), ctx.name.getText(), span(ctx.name), doc(ctx), params(ctx.paramList()),
                Optional.ofNullable(ctx.subject).map(this::expr), body(ctx.body()));
    }

    // ---- statements ----

    @Override public Stmt visitLetStmt(LetStmtContext ctx) {
        return new Stmt.Let(span(ctx), pattern(ctx.pattern()), Optional.ofNullable(ctx.type()).map(this::type), expr(ctx.expr()));
    }

    @Override public Stmt visitInputStmt(InputStmtContext ctx) {
        return new Stmt.Input(span(ctx), ctx.name.getText(), span(ctx.name), tensorType(ctx.tensorType()));
    }

    @Override public Stmt visitOutputStmt(OutputStmtContext ctx) {
        return new Stmt.Output(span(ctx), ctx.name.getText(), span(ctx.name), expr(ctx.expr()));
    }

    @Override public Stmt visitParamStmt(ParamStmtContext ctx) {
        return new Stmt.Param(span(ctx), ctx.name.getText(), span(ctx.name), type(ctx.type()), Optional.ofNullable(ctx.init).map(this::expr));
    }

    @Override public Stmt visitQubitsStmt(QubitsStmtContext ctx) {
        return new Stmt.Qubits(span(ctx), ctx.name.getText(), span(ctx.name), expr(ctx.size));
    }

    @Override public Stmt visitBitsStmt(BitsStmtContext ctx) {
        return new Stmt.Bits(span(ctx), ctx.name.getText(), span(ctx.name), expr(ctx.size));
    }

    @Override public Stmt visitForStmt(ForStmtContext ctx) {
        return new Stmt.For(span(ctx), pattern(ctx.pattern()), expr(ctx.iter), body(ctx.body()));
    }

    @Override public Stmt visitReturnStmt(ReturnStmtContext ctx) { return new Stmt.Return(span(ctx), expr(ctx.expr())); }

    @Override public Stmt visitAssertStmt(AssertStmtContext ctx) {
        return new Stmt.Assert(span(ctx), expr(ctx.cond), Optional.ofNullable(ctx.message).map(this::expr));
    }

    @Override public Stmt visitPropertyStmt(PropertyStmtContext ctx) {
        return new Stmt.Property(span(ctx), ctx.key.getText(), span(ctx.key), Optional.ofNullable(ctx.selector).map(this::string), expr(ctx.expr()));
    }

    @Override public Stmt visitSectionStmt(SectionStmtContext ctx) {
        // section keys may be keywords, but 'seq { ... }' standing alone is a seq (a stage of an enclosing seq)
        if (ctx.key.getStart().getType() == TMLLexer.SEQ && ctx.selector == null) {
            return new Stmt.ExprStmt(span(ctx), new Seq(span(ctx), body(ctx.body())));
        }
        return new Stmt.Section(span(ctx), ctx.key.getText(), span(ctx.key), Optional.ofNullable(ctx.selector).map(this::string), body(ctx.body()));
    }

    @Override public Stmt visitExprStmt(ExprStmtContext ctx) { return new Stmt.ExprStmt(span(ctx), expr(ctx.expr())); }

    // ---- patterns and types ----

    Pattern pattern(PatternContext ctx) {
        return switch (ctx) {
            case NamePatternContext n -> new Pattern.NamePat(span(n), n.IDENT().getText());
            case WildcardPatternContext w -> new Pattern.Wildcard(span(w));
            case TuplePatternContext t -> new Pattern.TuplePat(span(t), t.pattern().stream().map(this::pattern).collect(ImmutableList.toImmutableList()));
            default -> throw new IllegalStateException("unknown pattern " + ctx.getClass());
        };
    }

    TypeExpr type(TypeContext ctx) {
        return switch (ctx) {
            case TensorTypeRefContext t -> tensorType(t.tensorType());
            case NamedTypeContext n -> new TypeExpr.Named(span(n), n.name.getText(), n.type().stream().map(this::type).collect(ImmutableList.toImmutableList()));
            case TupleTypeContext t -> new TypeExpr.Tuple(span(t), t.type().stream().map(this::type).collect(ImmutableList.toImmutableList()));
            default -> throw new IllegalStateException("unknown type " + ctx.getClass());
        };
    }

    private TypeExpr.Tensor tensorType(TensorTypeContext ctx) {
        return new TypeExpr.Tensor(span(ctx), ctx.dtype.getText(), exprs(ctx.dims));
    }

    // ---- expressions ----

    @Override public Expr visitMemberExpr(MemberExprContext ctx) {
        return new Member(span(ctx), expr(ctx.target), ctx.name.getText(), span(ctx.name));
    }

    @Override public Expr visitCallExpr(CallExprContext ctx) {
        ImmutableList<Arg> args = ctx.argList() == null ? ImmutableList.of() : ctx.argList().arg().stream()
                .map(a -> new Arg(span(a), Optional.ofNullable(a.name).map(Token::getText), expr(a.expr())))
                .collect(ImmutableList.toImmutableList());
        return new Call(span(ctx), expr(ctx.callee), args);
    }

    @Override public Expr visitIndexExpr(IndexExprContext ctx) { return new Index(span(ctx), expr(ctx.target), expr(ctx.index)); }

    @Override public Expr visitPowerExpr(PowerExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }

    @Override public Expr visitUnaryExpr(UnaryExprContext ctx) {
        UnaryOp op = switch (ctx.op.getType()) {
            case TMLLexer.MINUS -> UnaryOp.NEG;
            case TMLLexer.PLUS -> UnaryOp.POS;
            default -> UnaryOp.NOT;
        };
        return new Unary(span(ctx), op, expr(ctx.operand));
    }

    @Override public Expr visitMultiplicativeExpr(MultiplicativeExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }
    @Override public Expr visitAdditiveExpr(AdditiveExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }
    @Override public Expr visitCompareExpr(CompareExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }
    @Override public Expr visitAndExpr(AndExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }
    @Override public Expr visitOrExpr(OrExprContext ctx) { return binary(ctx, ctx.op, ctx.lhs, ctx.rhs); }

    private Expr binary(ParserRuleContext ctx, Token opToken, ExprContext lhs, ExprContext rhs) {
        BinaryOp op = switch (opToken.getType()) {
            case TMLLexer.PLUS -> BinaryOp.ADD;
            case TMLLexer.MINUS -> BinaryOp.SUB;
            case TMLLexer.STAR -> BinaryOp.MUL;
            case TMLLexer.SLASH -> BinaryOp.DIV;
            case TMLLexer.PERCENT -> BinaryOp.MOD;
            case TMLLexer.AT -> BinaryOp.MATMUL;
            case TMLLexer.POW -> BinaryOp.POW;
            case TMLLexer.EQ -> BinaryOp.EQ;
            case TMLLexer.NE -> BinaryOp.NE;
            case TMLLexer.LT -> BinaryOp.LT;
            case TMLLexer.LE -> BinaryOp.LE;
            case TMLLexer.GT -> BinaryOp.GT;
            case TMLLexer.GE -> BinaryOp.GE;
            case TMLLexer.ANDAND -> BinaryOp.AND;
            case TMLLexer.OROR -> BinaryOp.OR;
            default -> throw new IllegalStateException("operator " + opToken.getText());
        };
        return new Binary(span(ctx), op, expr(lhs), expr(rhs), span(opToken));
    }

    @Override public Expr visitRangeExpr(RangeExprContext ctx) {
        return new Range(span(ctx), expr(ctx.lhs), expr(ctx.rhs), ctx.op.getType() == TMLLexer.DOTDOTEQ);
    }

    @Override public Expr visitLabeledExpr(LabeledExprContext ctx) {
        return new Labeled(span(ctx), ctx.label.getText(), span(ctx.label), expr(ctx.labeled));
    }

    @Override public Expr visitPipeExpr(PipeExprContext ctx) { return new Pipe(span(ctx), expr(ctx.lhs), expr(ctx.stage)); }

    @Override public Expr visitIfExpr(IfExprContext ctx) { return ifExpr(ctx.ifExpression()); }

    private If ifExpr(IfExpressionContext ctx) {
        return new If(span(ctx), expr(ctx.cond), blockBody(ctx.then),
                Optional.ofNullable(ctx.otherwise).map(this::blockBody), Optional.ofNullable(ctx.elseIf).map(this::ifExpr));
    }

    private Body blockBody(BlockExprContext ctx) {
        return new Body(span(ctx), ctx.stmt().stream().map(s -> (Stmt) visit(s)).collect(ImmutableList.toImmutableList()));
    }

    @Override public Expr visitSeqExpr(SeqExprContext ctx) { return new Seq(span(ctx), body(ctx.body())); }

    @Override public Expr visitLiteralExpr(LiteralExprContext ctx) { return (Expr) visit(ctx.literal()); }

    @Override public Expr visitNameExpr(NameExprContext ctx) { return new Name(span(ctx), ctx.IDENT().getText()); }

    @Override public Expr visitParenExpr(ParenExprContext ctx) { return expr(ctx.expr()); }

    @Override public Expr visitUnitExpr(UnitExprContext ctx) { return new Unit(span(ctx)); }

    @Override public Expr visitTupleExpr(TupleExprContext ctx) { return new TupleLit(span(ctx), exprs(ctx.expr())); }

    @Override public Expr visitListExpr(ListExprContext ctx) { return new ListLit(span(ctx), exprs(ctx.expr())); }

    @Override public Expr visitIntLiteral(IntLiteralContext ctx) {
        String text = ctx.getText().replace("_", "");
        try {
            long v = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            return new IntLit(span(ctx), v);
        } catch (NumberFormatException e) {
            diags.error(span(ctx), "integer literal " + ctx.getText() + " does not fit in 64 bits");
            return new IntLit(span(ctx), 0);
        }
    }

    @Override public Expr visitFloatLiteral(FloatLiteralContext ctx) {
        double v = Double.parseDouble(ctx.getText().replace("_", ""));
        if (Double.isInfinite(v)) diags.error(span(ctx), "float literal " + ctx.getText() + " is too large");
        return new FloatLit(span(ctx), v);
    }

    private static final List<String> UNITS = List.of("GiB", "MiB", "KiB", "GHz", "MHz", "kHz", "GB", "MB", "KB", "kB", "Hz", "ns", "us", "ms", "B", "s");

    @Override public Expr visitQuantityLiteral(QuantityLiteralContext ctx) {
        String text = ctx.getText().replace("_", "");
        for (String unit : UNITS) {
            if (text.endsWith(unit)) {
                String num = text.substring(0, text.length() - unit.length());
                double scale = switch (unit) {
                    case "B", "Hz", "s" -> 1;
                    case "KB", "kB", "kHz" -> 1e3;
                    case "KiB" -> 1024;
                    case "MB", "MHz" -> 1e6;
                    case "MiB" -> 1024.0 * 1024;
                    case "GB", "GHz" -> 1e9;
                    case "GiB" -> 1024.0 * 1024 * 1024;
                    case "ms" -> 1e-3;
                    case "us" -> 1e-6;
                    default -> 1e-9;
                };
                double v = Double.parseDouble(num) * scale;
                boolean integral = !unit.endsWith("s") && v == Math.rint(v) && Math.abs(v) < 9e18;
                return new QuantityLit(span(ctx), v, unit, integral);
            }
        }
        throw new IllegalStateException("quantity " + text);
    }

    @Override public Expr visitStringLiteral(StringLiteralContext ctx) { return new StrLit(span(ctx), string(ctx.STRING().getSymbol())); }

    @Override public Expr visitBoolLiteral(BoolLiteralContext ctx) { return new BoolLit(span(ctx), ctx.TRUE() != null); }

    private String string(Token t) {
        String raw = t.getText();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                char e = raw.charAt(++i);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    default -> {
                        diags.error(Span.of(file, t.getStartIndex() + i - 1, t.getStartIndex() + i + 1), "unknown escape sequence '\\" + e + "'");
                        sb.append(e);
                    }
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
