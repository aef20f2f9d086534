package tml.ir.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tml.ir.graph.IrParseException;
import tml.ir.loop.Expr.*;

/** The textual loop IR prints and parses back to equal programs, statements and expressions. */
class LoopTextTest {
    static final String PROGRAM = """
            program @Tiny {
              arena 1024
              weights 64
              buffer %x : f32[16] input 0
              buffer %w : f32[4] weight 0
              buffer %b : f32[4] weight 16
              buffer %y : f32[16] arena 0
              buffer %"odd name" : f32[16] view %y
              buffer %t : f32[8] scratch 512
              buffer %z : f32[4] output 0
              kernel @scale inplace(%x) {
                for $i in 0 .. 16 vectorize(8) {
                  var $v : f32 = %x[$i]
                  %y[$i] = select($v < 0.0, 0.0, $v) * %w[$i % 4] + -1.5E-5
                }
              }
              kernel @reduce {
                for $o in 0 .. 4 unroll(2) {
                  var $acc : f64 = 0.0d
                  for $k in max(0, $o - 1) .. min(4, $o * 4 + 4) {
                    $acc = $acc + f64(%"odd name"[$o * 4 + $k])
                  }
                  if $acc > 1.0d && $o != 3 {
                    %z[$o] = f32(sqrt($acc)) + %b[$o]
                  } else {
                    %z[$o] = exp(tanh(-Infinity)) - NaN
                  }
                  %t[$o] = f32(index(2.5) / 2 - (3 - $o))
                }
              }
            }
            """;

    @Test
    void canonicalTextRoundTrips() throws IrParseException {
        String text = PROGRAM;
        Program p = LoopParser.parse(text, "tiny.loop");
        assertEquals(text, LoopPrinter.print(p));
        assertEquals(p, LoopParser.parse(LoopPrinter.print(p), "again.loop"));
    }

    @Test
    void precedenceAndAssociativity() throws IrParseException {
        for (String e : List.of("$a - ($b - $c)", "$a - $b - $c", "($a + $b) * $c", "$a + $b * $c", "$a * ($b / $c)",
                "($a < $b) == ($c < $d)", "$a < $b || $c < $d && $e", "($a || $b) && $c", "-3 - -4", "0.0 - -0.0", "min($a, -1) % 2",
                "select($c, 1.0d, -Infinityd)", "1.0E-5 * 3.4028235E38")) {
            Expr parsed = LoopParser.parseExpr(e, "e");
            assertEquals(e, LoopPrinter.print(parsed), "canonical form of " + e);
        }
        assertEquals(LoopParser.parseExpr("$a - ($b - $c)", "e"),
                new Binary(BinOp.SUB, new Var("a"), new Binary(BinOp.SUB, new Var("b"), new Var("c"))));
        assertEquals(LoopParser.parseExpr("$a - $b - $c", "e"),
                new Binary(BinOp.SUB, new Binary(BinOp.SUB, new Var("a"), new Var("b")), new Var("c")));
    }

    @Test
    void floatsRoundTripBitForBit() throws IrParseException {
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            double d = Double.longBitsToDouble(r.nextLong());
            for (Expr e : List.of(new FloatConst(f, ScalarType.F32), new FloatConst(d, ScalarType.F64))) {
                assertEquals(e, LoopParser.parseExpr(LoopPrinter.print(e), "e"), LoopPrinter.print(e));
            }
        }
    }

    /** Random expression trees, well typed or not, survive printing and parsing. */
    @Test
    void randomExpressionsRoundTrip() throws IrParseException {
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            Expr e = random(r, 5);
            String text = LoopPrinter.print(e);
            assertEquals(e, LoopParser.parseExpr(text, "e"), text);
        }
    }

    @Test
    void randomStatementsRoundTrip() throws IrParseException {
        Random r = new Random(11);
        for (int i = 0; i < 500; i++) {
            Stmt s = randomStmt(r, 3);
            String text = LoopPrinter.print(s);
            assertEquals(s, LoopParser.parseStmt(text, "s"), text);
        }
    }

    static final String[] NAMES = {"a", "b", "oc", "x_1", "with space", "quote\"d", ""};

    static String name(Random r) { return NAMES[r.nextInt(NAMES.length)]; }

    static String bufferName(Random r) { return r.nextBoolean() ? "features.3.conv" : name(r); }

    static Expr random(Random r, int depth) {
        int k = depth <= 0 ? r.nextInt(4) : r.nextInt(9);
        return switch (k) {
            case 0 -> new IntConst(r.nextInt(7) == 0 ? Long.MIN_VALUE : r.nextInt(200) - 100);
            case 1 -> new FloatConst(r.nextGaussian() * 10, r.nextBoolean() ? ScalarType.F32 : ScalarType.F64);
            case 2 -> new Var(name(r));
            case 3 -> new FloatConst(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0).get(r.nextInt(4)), ScalarType.F32);
            case 4, 5 -> new Binary(BinOp.values()[r.nextInt(BinOp.values().length)], random(r, depth - 1), random(r, depth - 1));
            case 6 -> new Load(bufferName(r), random(r, depth - 1));
            case 7 -> new Select(random(r, depth - 1), random(r, depth - 1), random(r, depth - 1));
            default -> r.nextBoolean() ? new Cast(ScalarType.values()[r.nextInt(4)], random(r, depth - 1))
                    : new Call(Intrinsic.values()[r.nextInt(3)], random(r, depth - 1));
        };
    }

    static Stmt randomStmt(Random r, int depth) {
        int k = depth <= 0 ? 3 + r.nextInt(3) : r.nextInt(6);
        return switch (k) {
            case 0 -> {
                Annotation a = List.of(Annotation.SERIAL, Annotation.PARALLEL, new Annotation.Unroll(4), new Annotation.Vectorize(8)).get(r.nextInt(4));
                yield new Stmt.For(name(r), random(r, 2), random(r, 2), a, block(r, depth - 1));
            }
            case 1 -> new Stmt.If(random(r, 2), block(r, depth - 1), r.nextBoolean() ? java.util.Optional.of(block(r, depth - 1)) : java.util.Optional.empty());
            case 2 -> block(r, depth - 1);
            case 3 -> new Stmt.Store(bufferName(r), random(r, 2), random(r, 3));
            case 4 -> new Stmt.Local(name(r), ScalarType.values()[r.nextInt(4)], random(r, 3));
            default -> new Stmt.Assign(name(r), random(r, 3));
        };
    }

    static Stmt.Block block(Random r, int depth) {
        List<Stmt> s = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) s.add(randomStmt(r, depth));
        return Stmt.Block.of(s);
    }
}
