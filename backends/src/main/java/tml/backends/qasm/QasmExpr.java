package tml.backends.qasm;

import java.util.Map;

/** A parameter expression of OpenQASM 2 ({@code pi/2}, {@code -theta/2}, {@code cos(2*lambda)}, …). */
sealed interface QasmExpr {
    /** Value with gate parameters bound; non-finite results are the caller's to reject. */
    double eval(Map<String, Double> env);

    record Num(double value) implements QasmExpr {
        public double eval(Map<String, Double> env) { return value; }
    }

    record Param(String name) implements QasmExpr {
        public double eval(Map<String, Double> env) {
            Double v = env.get(name);
            if (v == null) throw new IllegalStateException("unbound parameter " + name); // excluded by the parser
            return v;
        }
    }

    record Neg(QasmExpr e) implements QasmExpr {
        public double eval(Map<String, Double> env) { return -e.eval(env); }
    }

    record Binary(char op, QasmExpr l, QasmExpr r) implements QasmExpr {
        public double eval(Map<String, Double> env) {
            double a = l.eval(env), b = r.eval(env);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                case '/' -> a / b;
                default -> Math.pow(a, b);
            };
        }
    }

    record Call(String fn, QasmExpr arg) implements QasmExpr {
        public double eval(Map<String, Double> env) {
            double x = arg.eval(env);
            return switch (fn) {
                case "sin" -> Math.sin(x);
                case "cos" -> Math.cos(x);
                case "tan" -> Math.tan(x);
                case "exp" -> Math.exp(x);
                case "ln" -> Math.log(x);
                default -> Math.sqrt(x);
            };
        }
    }
}
