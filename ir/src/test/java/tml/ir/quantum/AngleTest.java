package tml.ir.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AngleTest {
    @Test
    void canonicalFormMergesTermsAndDropsZeros() {
        Angle a = Angle.param("a").plus(Angle.param("b").times(2)).plus(Angle.param("a").times(-1));
        assertEquals(ImmutableList.of(new Term(2, Symbol.param("b"))), a.terms());
        assertEquals(Angle.of(0.0), Angle.of(-0.0));
        assertEquals(Angle.ZERO, Angle.param("a").minus(Angle.param("a")));
        assertThrows(IllegalArgumentException.class, () -> Angle.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Angle.of(1).dividedBy(0));
    }

    @Test
    void formatsReadably() {
        assertEquals("0.5*theta + pi", Angle.param("theta").times(0.5).plus(Math.PI).toString());
        assertEquals("-theta - 3*pi/4", Angle.param("theta").negate().plus(-3 * Math.PI / 4).toString());
        assertEquals("x[3] - 2*phi", Angle.input(3).minus(Angle.param("phi").times(2)).toString());
        assertEquals("pi/2", Angle.of(Math.PI / 2).toString());
        assertEquals("-pi", Angle.of(-Math.PI).toString());
        assertEquals("0", Angle.ZERO.toString());
        assertEquals("0.1", Angle.of(0.1).toString());
        assertEquals("1.0E-13", Angle.of(1e-13).toString());
        assertEquals("2", Angle.of(2).toString());
    }

    @Test
    void evaluates() {
        Angle a = Angle.param("t").times(0.5).plus(Angle.input(1)).plus(1);
        assertEquals(0.5 * 3 + 7 + 1, a.evaluate(s -> s instanceof Symbol.Param ? 3 : 7));
    }

    @Test
    void constantsReadBackExactly() throws CircuitParseException {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            double v = switch (i % 4) {
                case 0 -> rng.nextInt(-200, 200) * Math.PI / (1 << rng.nextInt(7));
                case 1 -> rng.nextInt(-100, 100) * Math.PI / 3;
                case 2 -> rng.nextDouble(-10, 10);
                default -> Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-60, 60));
            };
            Angle a = Angle.param("p").times(rng.nextDouble(-3, 3)).plus(v);
            Circuit c = Circuit.builder("c", 1).params("p").rz(a, 0).rz(Angle.of(v), 0).build();
            Circuit back = CircuitParser.parse(CircuitPrinter.print(c));
            assertEquals(c, back, CircuitPrinter.print(c));
        }
    }
}
