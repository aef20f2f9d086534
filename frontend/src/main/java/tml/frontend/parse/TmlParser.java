package tml.frontend.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.*;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import tml.frontend.ast.Expr;
import tml.frontend.ast.FileNode;
import tml.frontend.diag.Diagnostics;
import tml.frontend.diag.SourceFile;
import tml.frontend.diag.Span;
import tml.grammar.TMLLexer;
import tml.grammar.TMLParser;

/**
 * The one public parse entry: SLL prediction first, full LL when that fails; syntax errors become
 * diagnostics naming what was expected; a too-deep nesting becomes a diagnostic, not a crash.
 * Returns an AST only when the text has no syntax error.
 */
public final class TmlParser {
    private static final int MAX_SYNTAX_ERRORS = 10;

    private TmlParser() {}

    public static Optional<FileNode> parseFile(SourceFile file, Diagnostics diags) {
        return parse(file, diags, TMLParser::file, (b, ctx) -> b.visitFile((TMLParser.FileContext) ctx));
    }

    public static Optional<Expr> parseExpression(SourceFile file, Diagnostics diags) {
        return parse(file, diags, TMLParser::standaloneExpression,
                (b, ctx) -> b.expr(((TMLParser.StandaloneExpressionContext) ctx).expr()));
    }

    private interface Build<T> { T apply(AstBuilder b, ParserRuleContext ctx); }

    private static <T> Optional<T> parse(SourceFile file, Diagnostics diags, Function<TMLParser, ParserRuleContext> rule, Build<T> build) {
        TMLLexer lexer = new TMLLexer(CharStreams.fromString(file.text(), file.path()));
        lexer.removeErrorListeners();
        BudgetedTokens tokens = new BudgetedTokens(lexer);
        TMLParser parser = new TMLParser(tokens);
        parser.removeErrorListeners();
        try {
            ParserRuleContext tree;
            Token deep = tooDeep(tokens);
            if (deep != null) {
                diags.error(Span.of(file, deep.getStartIndex(), deep.getStopIndex() + 1),
                        "brackets are nested more than " + MAX_NESTING + " deep; split the expression with 'let'");
                return Optional.empty();
            }
            try {
                tokens.startPass();
                parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
                parser.setErrorHandler(new BailErrorStrategy());
                tree = rule.apply(parser);
            } catch (ParseCancellationException e) {
                tokens.seek(0);
                parser.reset();
                tokens.startPass();
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                parser.setErrorHandler(new DefaultErrorStrategy());
                Collector collector = new Collector(file, parser);
                parser.addErrorListener(collector);
                tree = rule.apply(parser);
                if (!collector.errors.isEmpty()) {
                    collector.errors.forEach(d -> diags.error(d.span, d.message));
                    return Optional.empty();
                }
            }
            ParserRuleContext deepest = tooDeep(tree);
            if (deepest != null) {
                int at = Math.max(0, deepest.getStart().getStartIndex());
                diags.error(Span.of(file, at, at + 1), "expression is nested more than " + MAX_TREE_DEPTH
                        + " levels deep (a very long chain of operators?); split it into smaller ones with 'let'");
                return Optional.empty();
            }
            return Optional.of(build.apply(new AstBuilder(file, tokens, diags), tree));
        } catch (StackOverflowError e) {
            Token t = tokens.size() > 0 ? tokens.get(Math.max(0, Math.min(tokens.index(), tokens.size() - 1))) : null;
            int at = t == null ? 0 : Math.max(0, t.getStartIndex());
            diags.error(Span.of(file, at, at + 1), "expression is too deeply nested");
            return Optional.empty();
        } catch (TooComplex e) {
            Token t = tokens.get(Math.max(0, Math.min(tokens.index(), tokens.size() - 1)));
            int at = Math.max(0, t.getStartIndex());
            diags.error(Span.of(file, at, at + 1), "expression is too deeply nested or too long to parse; split it into smaller ones with 'let'");
            return Optional.empty();
        }
    }

    /**
     * Parsing work allowed (tokens consumed, prediction look-ahead included) before the parse is given up.
     * Real programs consume about 1-2 tokens per token; some shapes (thousands of nested parentheses, very long
     * chains of '+') make ANTLR's prediction look ahead to the end of the expression at every token, which is
     * quadratic and would run for hours on a large file.
     */
    private static final long BASE_BUDGET = 5_000_000, BUDGET_PER_TOKEN = 10;

    /**
     * The deepest parse tree accepted. Building the AST and evaluating it recurse once per level; a chain of
     * thousands of operators (left-nested) or prefix operators would otherwise need a huge stack and time.
     */
    private static final int MAX_TREE_DEPTH = 10_000;

    /** The first rule node deeper than {@link #MAX_TREE_DEPTH}, found without recursion, or null. */
    private static ParserRuleContext tooDeep(ParserRuleContext root) {
        java.util.ArrayDeque<ParserRuleContext> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            ParserRuleContext n = nodes.pop();
            int d = depths.pop();
            if (d > MAX_TREE_DEPTH) return n;
            for (int i = n.getChildCount() - 1; i >= 0; i--) {
                if (n.getChild(i) instanceof ParserRuleContext c) {
                    nodes.push(c);
                    depths.push(d + 1);
                }
            }
        }
        return null;
    }

    /** The deepest nesting of (), [] and {} accepted: ANTLR's prediction slows down with the square of the depth. */
    private static final int MAX_NESTING = 256;

    /** The first bracket nested deeper than {@link #MAX_NESTING}, or null. */
    private static Token tooDeep(BudgetedTokens tokens) {
        tokens.fill();
        int depth = 0;
        for (Token t : tokens.getTokens()) {
            switch (t.getType()) {
                case TMLLexer.LPAREN, TMLLexer.LBRACK, TMLLexer.LBRACE -> {
                    if (++depth > MAX_NESTING) return t;
                }
                case TMLLexer.RPAREN, TMLLexer.RBRACK, TMLLexer.RBRACE -> depth = Math.max(0, depth - 1);
                default -> { }
            }
        }
        return null;
    }

    private static final class TooComplex extends RuntimeException {
        TooComplex() { super(null, null, false, false); }
    }

    /** A token stream that counts consumed tokens and stops a parse that exceeds its budget. */
    private static final class BudgetedTokens extends CommonTokenStream {
        private long used, budget;

        BudgetedTokens(TokenSource source) { super(source); }

        void startPass() {
            fill();
            used = 0;
            budget = BASE_BUDGET + BUDGET_PER_TOKEN * size();
        }

        @Override
        public void consume() {
            if (++used > budget) throw new TooComplex();
            super.consume();
        }
    }

    private record SyntaxError(Span span, String message) {}

    /** Turns ANTLR's reports into messages that name the offending token and what was expected. */
    private static final class Collector extends BaseErrorListener {
        final List<SyntaxError> errors = new ArrayList<>();
        private final SourceFile file;
        private final TMLParser parser;
        private int lastLine = -1;

        Collector(SourceFile file, TMLParser parser) {
            this.file = file;
            this.parser = parser;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg, RecognitionException e) {
            if (errors.size() >= MAX_SYNTAX_ERRORS || line == lastLine) return; // one per line avoids cascades
            lastLine = line;
            Token t = offending instanceof Token tok ? tok : null;
            Span span;
            if (t == null || t.getType() == Token.EOF) {
                int at = file.text().length();
                span = Span.of(file, at, at);
            } else {
                span = Span.of(file, t.getStartIndex(), t.getStopIndex() + 1);
            }
            int comment = unterminatedComment(t);
            if (comment >= 0) {
                errors.add(new SyntaxError(Span.of(file, comment, comment + 2), "unterminated block comment"));
                return;
            }
            // 'network N' inside a body reads as a label 'network:' (labels may be keywords): the body
            // before the declaration keyword was not closed.
            Token before = t == null ? null : previous(t);
            if (before != null && t.getType() == TMLLexer.IDENT && DECLARATION_KEYWORDS.contains(before.getType())) {
                errors.add(new SyntaxError(Span.of(file, before.getStartIndex(), before.getStopIndex() + 1),
                        "expected '}' before '" + before.getText() + "'"));
                return;
            }
            errors.add(new SyntaxError(span, message(t, msg, e)));
        }

        private static final List<Integer> DECLARATION_KEYWORDS = List.of(TMLLexer.NETWORK, TMLLexer.BLOCK, TMLLexer.FN, TMLLexer.CIRCUIT,
                TMLLexer.TARGET, TMLLexer.DEVICE, TMLLexer.SEARCHSPACE, TMLLexer.QUANTIZE, TMLLexer.SCHEDULE, TMLLexer.TRAIN);

        /** The token before {@code t} on the default channel, or null. */
        private Token previous(Token t) {
            TokenStream ts = parser.getTokenStream();
            for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
                Token p = ts.get(i);
                if (p.getChannel() == Token.DEFAULT_CHANNEL) return p;
            }
            return null;
        }

        /** The offset of an unclosed '/' '*' that {@code t} is part of, or -1. */
        private int unterminatedComment(Token t) {
            if (t == null || t.getStartIndex() < 0) return -1;
            int at = t.getType() == TMLLexer.SLASH ? t.getStartIndex() : t.getType() == TMLLexer.STAR ? t.getStartIndex() - 1 : -1;
            if (at < 0 || !file.text().startsWith("/*", at)) return -1;
            return file.text().indexOf("*/", at + 2) < 0 ? at : -1;
        }

        private String message(Token t, String antlrMessage, RecognitionException e) {
            String found = describe(t);
            if (t != null && t.getType() == TMLLexer.MALFORMED_NUMBER) {
                return "malformed number " + found;
            }
            if (t != null && t.getType() == TMLLexer.UNRECOGNIZED) {
                String s = t.getText();
                if (s.equals("\"")) return "unterminated string literal";
                return "unexpected character " + quoteChar(s);
            }
            IntervalSet expected = null;
            try {
                expected = e != null ? e.getExpectedTokens() : parser.getExpectedTokens();
            } catch (RuntimeException ignored) {
                // fall back to ANTLR's own wording
            }
            if ((t == null || t.getType() == Token.EOF) && expected != null && expected.contains(TMLLexer.RBRACE)) {
                return "unexpected end of file; expected '}'";
            }
            if (antlrMessage.startsWith("missing ")) {
                String what = antlrMessage.substring("missing ".length(), antlrMessage.indexOf(" at ") > 0 ? antlrMessage.indexOf(" at ") : antlrMessage.length());
                return "expected " + what + " before " + found;
            }
            if (expected != null && !expected.isNil()) {
                List<String> names = new ArrayList<>();
                for (int type : expected.toList()) names.add(tokenName(type));
                if (names.size() <= 8) return "unexpected " + found + "; expected " + String.join(", ", names);
            }
            return "unexpected " + found;
        }

        private static String quoteChar(String s) {
            int cp = s.codePointAt(0);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && !Character.isLetterOrDigit(cp))) return String.format("U+%04X", cp);
            return "'" + s + "'";
        }

        private static String describe(Token t) {
            if (t == null || t.getType() == Token.EOF) return "end of file";
            String text = t.getText();
            if (text.length() > 40) text = text.substring(0, 40) + "...";
            return "'" + text + "'";
        }

        private String tokenName(int type) {
            if (type == Token.EOF) return "end of file";
            String literal = parser.getVocabulary().getLiteralName(type);
            if (literal != null) return literal;
            return switch (type) {
                case TMLLexer.IDENT -> "a name";
                case TMLLexer.INT -> "an integer";
                case TMLLexer.FLOAT -> "a number";
                case TMLLexer.STRING -> "a string";
                case TMLLexer.DTYPE -> "an element type (f32, f16, i8, i4, i32)";
                case TMLLexer.QUANTITY -> "a quantity";
                default -> parser.getVocabulary().getDisplayName(type);
            };
        }
    }
}
