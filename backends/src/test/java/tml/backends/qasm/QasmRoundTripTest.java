package tml.backends.qasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tml.ir.quantum.Angle;
import tml.ir.quantum.Circuit;
import tml.ir.quantum.ComplexMatrix;
import tml.ir.quantum.GateKind;
import tml.ir.quantum.Op;
import tml.ir.quantum.ParamBinding;
import tml.ir.quantum.RandomCircuits;
import tml.ir.quantum.ReferenceSimulator;

class QasmRoundTripTest {
    private static ComplexMatrix unitary(Circuit c) { return ReferenceSimulator.unitary(c, ParamBinding.empty(c)); }

    @Test
    void exportThenImportPreservesTheUnitary() throws QasmParseException {
        SplittableRandom rng = new SplittableRandom(51);
        for (Qasm2Exporter.Options opt : List.of(Qasm2Exporter.Options.DEFAULT, new Qasm2Exporter.Options(true))) {
            for (int i = 0; i < 300; i++) {
                int n = 1 + rng.nextInt(5);
                Circuit c = RandomCircuits.uniform(n).withEchoes(0.2).generate(rng, 1 + rng.nextInt(25));
                String qasm = Qasm2Exporter.export(c, opt);
                Circuit back = Qasm2Importer.parse(qasm);
                assertEquals(n, back.numQubits());
                double d = unitary(c).distanceUpToPhase(unitary(back));
                assertTrue(d < 1e-9, () -> "distance " + d + "\n" + qasm);
            }
        }
    }

    @Test
    void withoutRyyTheRoundTripIsExact() throws QasmParseException {
        SplittableRandom rng = new SplittableRandom(52);
        ImmutableList<GateKind> kinds = RandomCircuits.kindsUpTo(3).stream().filter(k -> k != GateKind.RYY).collect(ImmutableList.toImmutableList());
        for (int i = 0; i < 200; i++) {
            int n = 3 + rng.nextInt(3);
            Circuit g = RandomCircuits.uniform(n).withKinds(kinds).generate(rng, 30);
            List<Op> ops = new ArrayList<>(g.ops());
            ops.add(rng.nextInt(ops.size()), new Op.Measure(rng.nextInt(n), 1));
            ops.add(rng.nextInt(ops.size()), new Op.Measure(rng.nextInt(n), 3));
            ops.add(rng.nextInt(ops.size()), new Op.Reset(rng.nextInt(n)));
            ops.add(rng.nextInt(ops.size()), new Op.Barrier(ImmutableList.of(0, 2)));
            ops.add(rng.nextInt(ops.size()), new Op.Conditional(1, 2, rng.nextInt(4), Op.Gate.of(GateKind.RX, rng.nextDouble(-4, 4), 1)));
            ops.add(new Op.Conditional(0, 1, 1, new Op.Measure(0, 3)));
            ops.add(new Op.Conditional(3, 2, 2, new Op.Reset(2)));
            Circuit c = new Circuit("main", n, 5, ImmutableList.of(), 0, ImmutableList.copyOf(ops));
            String qasm = Qasm2Exporter.export(c);
            assertEquals(c, Qasm2Importer.parse(qasm), qasm);
        }
    }

    @Test
    void exportedText() {
        Circuit c = Circuit.builder("bell", 2).clbits(2).h(0).cx(0, 1).gate(GateKind.RZ, 3 * Math.PI / 4, 1)
                .gate(GateKind.RYY, 0.5, 0, 1).measure(0, 0).measure(1, 1)
                .conditional(0, 2, 3, Op.Gate.of(GateKind.X, 0)).build();
        assertEquals("""
                OPENQASM 2.0;
                include "qelib1.inc";
                gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }
                qreg q[2];
                creg c[2];
                h q[0];
                cx q[0],q[1];
                rz(3*pi/4) q[1];
                ryy(0.5) q[0],q[1];
                measure q[0] -> c[0];
                measure q[1] -> c[1];
                if(c==3) x q[0];
                """, Qasm2Exporter.export(c));
        Circuit split = Circuit.builder("s", 1).clbits(3).measure(0, 1).conditional(1, 1, 1, Op.Gate.of(GateKind.X, 0)).build();
        String text = Qasm2Exporter.export(split);
        assertTrue(text.contains("creg c0[1];\ncreg c1[1];\ncreg c2[1];\nmeasure q[0] -> c1[0];\nif(c1==1) x q[0];"), text);
    }

    @Test
    void symbolicAnglesNeedBindingForQasm2() throws QasmParseException {
        Circuit c = Circuit.builder("p", 1).params("theta").inputs(1).rx(Angle.param("theta").times(0.5).plus(Angle.input(0)), 0).build();
        assertThrows(QasmExportException.class, () -> Qasm2Exporter.export(c));
        String qasm = Qasm2Exporter.export(c, ParamBinding.of(c, new double[] {0.4}, new double[] {0.1}));
        Circuit back = Qasm2Importer.parse(qasm);
        assertEquals(Angle.of(0.5 * 0.4 + 0.1), ((Op.Gate) back.ops().get(0)).angles().get(0));
    }

    @Test
    void overlappingConditionRangesCannotBeExported() {
        Circuit c = Circuit.builder("o", 1).clbits(3).conditional(0, 2, 1, Op.Gate.of(GateKind.X, 0))
                .conditional(1, 2, 1, Op.Gate.of(GateKind.X, 0)).build();
        assertThrows(QasmExportException.class, () -> Qasm2Exporter.export(c));
    }

    @Test
    void qasm3Export() {
        Circuit c = Circuit.builder("q3", 2).clbits(2).params("theta").inputs(2)
                .rx(Angle.input(1), 0).rz(Angle.param("theta").times(0.5).plus(Math.PI), 1)
                .gate(GateKind.RZZ, Angle.param("theta"), 0, 1).gate(GateKind.CU3, new double[] {0.1, 0.2, 0.3}, 1, 0)
                .measure(0, 0).conditional(0, 2, 1, new Op.Reset(1)).barrier(0, 1).build();
        assertEquals("""
                OPENQASM 3.0;
                include "stdgates.inc";
                gate cu3(theta, phi, lambda) c, t { cu(theta, phi, lambda, 0) c, t; }
                gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }
                input float[64] theta;
                input array[float[64], 2] x;
                qubit[2] q;
                bit[2] c;
                rx(x[1]) q[0];
                rz(0.5*theta + pi) q[1];
                rzz(theta) q[0], q[1];
                cu3(0.1, 0.2, 0.3) q[1], q[0];
                c[0] = measure q[0];
                if (c == 1) { reset q[1]; }
                barrier q[0], q[1];
                """, Qasm3Exporter.export(c));
    }
}
