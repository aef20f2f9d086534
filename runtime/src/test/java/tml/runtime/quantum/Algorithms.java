package tml.runtime.quantum;

import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitBuilder;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;

/** Textbook circuits for the known-answer tests. */
final class Algorithms {
    private Algorithms() {}

    static Circuit bell() { return Circuit.builder("bell", 2).h(0).cx(0, 1).measureAll().build(); }

    static Circuit ghz(int n) {
        CircuitBuilder b = Circuit.builder("ghz", n).h(0);
        for (int q = 1; q < n; q++) b.cx(q - 1, q);
        return b.measureAll().build();
    }

    /** QFT|x⟩ = 2^{-n/2} Σ_y e^{2πi·xy/2^n} |y⟩, prepared from basis state x. */
    static Circuit qftOnBasis(int n, int x) {
        CircuitBuilder b = Circuit.builder("qft", n);
        for (int q = 0; q < n; q++) if ((x >> q & 1) != 0) b.x(q);
        for (int j = n - 1; j >= 0; j--) {
            b.h(j);
            for (int k = j - 1; k >= 0; k--) b.gate(GateKind.CP, Math.PI / (1 << (j - k)), k, j);
        }
        for (int i = 0; i < n / 2; i++) b.gate(GateKind.SWAP, i, n - 1 - i);
        return b.build();
    }

    /** X on target iff all controls are 1, with a V-chain of ccx gates through clean ancillas. */
    static void mcx(CircuitBuilder b, int[] controls, int target, int firstAncilla) {
        int k = controls.length;
        if (k == 1) { b.cx(controls[0], target); return; }
        if (k == 2) { b.gate(GateKind.CCX, controls[0], controls[1], target); return; }
        b.gate(GateKind.CCX, controls[0], controls[1], firstAncilla);
        for (int i = 2; i < k - 1; i++) b.gate(GateKind.CCX, controls[i], firstAncilla + i - 2, firstAncilla + i - 1);
        b.gate(GateKind.CCX, controls[k - 1], firstAncilla + k - 3, target);
        for (int i = k - 2; i >= 2; i--) b.gate(GateKind.CCX, controls[i], firstAncilla + i - 2, firstAncilla + i - 1);
        b.gate(GateKind.CCX, controls[0], controls[1], firstAncilla);
    }

    private static void mcz(CircuitBuilder b, int n, int firstAncilla) {
        int[] controls = new int[n - 1];
        for (int i = 0; i < n - 1; i++) controls[i] = i;
        b.h(n - 1);
        mcx(b, controls, n - 1, firstAncilla);
        b.h(n - 1);
    }

    static int groverIterations(int n) { return (int) Math.floor(Math.PI / (4 * Math.asin(Math.pow(2, -n / 2.0)))); }

    /** Grover search for {@code marked} on n qubits (n-3 ancillas above them), search qubits measured. */
    static Circuit grover(int n, int marked) {
        int ancillas = Math.max(0, n - 3);
        CircuitBuilder b = Circuit.builder("grover", n + ancillas).clbits(n);
        for (int q = 0; q < n; q++) b.h(q);
        for (int r = 0; r < groverIterations(n); r++) {
            for (int q = 0; q < n; q++) if ((marked >> q & 1) == 0) b.x(q);
            mcz(b, n, n);
            for (int q = 0; q < n; q++) if ((marked >> q & 1) == 0) b.x(q);
            for (int q = 0; q < n; q++) { b.h(q); b.x(q); }
            mcz(b, n, n);
            for (int q = 0; q < n; q++) { b.x(q); b.h(q); }
        }
        for (int q = 0; q < n; q++) b.measure(q, q);
        return b.build();
    }

    enum Oracle { CONSTANT_ZERO, CONSTANT_ONE, INNER_PRODUCT }

    /**
     * Deutsch–Jozsa / Bernstein–Vazirani on n input qubits and output qubit n: for INNER_PRODUCT
     * f(x) = s·x mod 2 (balanced when s ≠ 0; BV reads s off).
     */
    static Circuit oracleAlgorithm(int n, Oracle oracle, int s) {
        CircuitBuilder b = Circuit.builder("dj", n + 1).clbits(n);
        b.x(n).h(n);
        for (int q = 0; q < n; q++) b.h(q);
        switch (oracle) {
            case CONSTANT_ZERO -> {}
            case CONSTANT_ONE -> b.x(n);
            case INNER_PRODUCT -> { for (int q = 0; q < n; q++) if ((s >> q & 1) != 0) b.cx(q, n); }
        }
        for (int q = 0; q < n; q++) b.h(q);
        for (int q = 0; q < n; q++) b.measure(q, q);
        return b.build();
    }

    /**
     * Teleports u3(θ,φ,λ)|0⟩ from q0 to q2, un-prepares it there and measures q2 into c2 (always 0).
     * {@code deferred}: corrections as cx/cz from the (later measured) qubits instead of classical conditions.
     */
    static Circuit teleport(double theta, double phi, double lambda, boolean deferred) {
        CircuitBuilder b = Circuit.builder("teleport", 3).clbits(3);
        b.gate(GateKind.U3, new double[] {theta, phi, lambda}, 0);
        b.h(1).cx(1, 2);
        b.cx(0, 1).h(0);
        if (deferred) {
            b.cx(1, 2).cz(0, 2);
            b.measure(0, 0).measure(1, 1);
        } else {
            b.measure(0, 0).measure(1, 1);
            b.conditional(1, 1, 1, Op.Gate.of(GateKind.X, 2));
            b.conditional(0, 1, 1, Op.Gate.of(GateKind.Z, 2));
        }
        b.gate(GateKind.U3, new double[] {-theta, -lambda, -phi}, 2);
        return b.measure(2, 2).build();
    }

}
