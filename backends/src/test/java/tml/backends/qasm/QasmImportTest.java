package tml.backends.qasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.CircuitParser;
import tml.ir.quantum.CircuitPrinter;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Gates;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.ReferenceSimulator;

class QasmImportTest {
    @Test
    void registersBroadcastCustomGatesMeasureResetIf() throws Exception {
        Circuit c = Qasm2Importer.parse("""
                OPENQASM 2.0;
                include "qelib1.inc";   // standard gates
                /* a custom gate */
                gate majority a,b,c { cx c,b; cx c,a; ccx a,b,c; }
                gate rot(t) a { rz(t/2) a; barrier a; U(t, -pi/2, pi/2) a; }
                qreg a[2];
                qreg b[2];
                creg m[2];
                creg f[1];
                h a;
                cx a, b;
                majority a[0], a[1], b[0];
                rot(2*pi/3) b[1];
                measure a -> m;
                if (m == 3) x b[1];
                if (m==1) measure b[0] -> f[0];
                reset a[1];
                barrier a, b[0];
                u0(0.5) a[0];
                cu1(sin(pi/6)) a[0], b[1];
                """);
        assertEquals(4, c.numQubits());
        assertEquals(3, c.numClbits());
        String text = CircuitPrinter.print(c);
        assertEquals("""
                circuit main qubits 4 clbits 3 {
                  h q[0]
                  h q[1]
                  cx q[0], q[2]
                  cx q[1], q[3]
                  cx q[2], q[1]
                  cx q[2], q[0]
                  ccx q[0], q[1], q[2]
                  rz(pi/3) q[3]
                  barrier q[3]
                  u3(2*pi/3, -pi/2, pi/2) q[3]
                  measure q[0] -> c[0]
                  measure q[1] -> c[1]
                  if (c[0:2] == 3) x q[3]
                  if (c[0:2] == 1) measure q[2] -> c[2]
                  reset q[1]
                  barrier q[0], q[1], q[2]
                  id q[0]
                  cp(0.49999999999999994) q[0], q[3]
                }
                """, text);
        assertEquals(c, CircuitParser.parse(text));
    }

    @Test
    void withoutQelib1OnlyUAndCXExist() throws Exception {
        Circuit c = Qasm2Importer.parse("OPENQASM 2.0; qreg q[2]; U(pi/2,0,pi) q[0]; CX q[0],q[1];");
        assertEquals(List.of(GateKind.U3, GateKind.CX), c.gates().stream().map(Op.Gate::kind).toList());
    }

    private static ComplexMatrix unitaryOf(String gateCall, int n) throws QasmParseException {
        Circuit c = Qasm2Importer.parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[" + n + "]; " + gateCall);
        return ReferenceSimulator.unitary(c, ParamBinding.empty(c));
    }

    /** Multi-controlled 2×2 matrix u: controls are the low n-1 bits, target the top bit. */
    private static ComplexMatrix multiControlled(ComplexMatrix u, int n) {
        int d = 1 << n, cm = (1 << (n - 1)) - 1;
        double[] re = new double[d * d], im = new double[d * d];
        for (int r = 0; r < d; r++)
            for (int col = 0; col < d; col++) {
                boolean ctrl = (r & cm) == cm && (col & cm) == cm;
                if (ctrl) {
                    re[r * d + col] = u.re(r >> (n - 1), col >> (n - 1));
                    im[r * d + col] = u.im(r >> (n - 1), col >> (n - 1));
                } else if (r == col) re[r * d + col] = 1;
            }
        return ComplexMatrix.of(d, re, im);
    }

    @Test
    void qelib1PreludeGatesHaveTheirMatrices() throws QasmParseException {
        ComplexMatrix x = Gates.matrix(GateKind.X), sx = Gates.matrix(GateKind.SX);
        assertTrue(unitaryOf("c3x q[0],q[1],q[2],q[3];", 4).distanceUpToPhase(multiControlled(x, 4)) < 1e-12);
        assertTrue(unitaryOf("c4x q[0],q[1],q[2],q[3],q[4];", 5).distanceUpToPhase(multiControlled(x, 5)) < 1e-12);
        assertTrue(unitaryOf("c3sqrtx q[0],q[1],q[2],q[3];", 4).distanceUpToPhase(multiControlled(sx, 4)) < 1e-12);
        assertTrue(unitaryOf("csx q[0],q[1];", 2).distanceUpToPhase(multiControlled(sx, 2)) < 1e-12);
        ComplexMatrix u = Gates.matrix(GateKind.U3, 0.3, 0.4, 0.5).scale(Math.cos(0.7), Math.sin(0.7));
        assertTrue(unitaryOf("cu(0.3,0.4,0.5,0.7) q[0],q[1];", 2).maxDistance(multiControlled(u, 2)) < 1e-12);
        // relative-phase Toffolis: a Toffoli on basis states up to phases
        for (String call : new String[] {"rccx q[0],q[1],q[2];", "rc3x q[0],q[1],q[2],q[3];"}) {
            int n = call.startsWith("rccx") ? 3 : 4;
            ComplexMatrix got = unitaryOf(call, n), want = multiControlled(x, n);
            for (int r = 0; r < 1 << n; r++)
                for (int col = 0; col < 1 << n; col++)
                    assertEquals(Math.abs(want.re(r, col)), Math.hypot(got.re(r, col), got.im(r, col)), 1e-12, call);
        }
        // original-qelib1 definitions equal the built-ins up to global phase
        for (GateKind k : List.of(GateKind.P, GateKind.SX, GateKind.SXDG, GateKind.SWAP, GateKind.CSWAP, GateKind.CRX, GateKind.CRY,
                GateKind.CP, GateKind.RXX, GateKind.RYY, GateKind.RZZ)) {
            String args = k.numAngles() == 1 ? "(0.37)" : "";
            String qs = k.numQubits() == 1 ? "q[0]" : k.numQubits() == 2 ? "q[0],q[1]" : "q[0],q[1],q[2]";
            Circuit defined = Qasm2Importer.parse("OPENQASM 2.0; include \"qelib1.inc\"; " + Qasm2Exporter.definition(k)
                    + " qreg q[" + k.numQubits() + "]; " + k.mnemonic() + args + " " + qs + ";");
            assertTrue(defined.gates().stream().noneMatch(g -> g.kind() == k), k + " definition not used");
            double[] angles = k.numAngles() == 1 ? new double[] {0.37} : new double[0];
            assertTrue(ReferenceSimulator.unitary(defined, ParamBinding.empty(defined)).distanceUpToPhase(Gates.matrix(k, angles)) < 1e-12, k.mnemonic());
        }
    }

    @Test
    void expressionsFollowOpenQasmPrecedence() throws QasmParseException {
        Circuit c = Qasm2Importer.parse("""
                OPENQASM 2.0; include "qelib1.inc"; qreg q[1];
                rz(-2^2) q[0]; rz(2*3^2) q[0]; rz(1-2-3) q[0]; rz(8/2/2) q[0]; rz(-pi/2) q[0]; rz(sqrt(4)+ln(exp(1))+cos(0)+tan(0)) q[0];
                rz(2^3^2) q[0]; rz(1e-3) q[0]; rz(.5) q[0];
                """);
        double[] want = {-4, 18, -4, 2, -Math.PI / 2, 4, 512, 1e-3, 0.5};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], c.gates().get(i).angles().get(0).constant(), 1e-15, "rz " + i);
        assertEquals(ImmutableList.of(0), c.gates().get(0).qubits());
    }
}
