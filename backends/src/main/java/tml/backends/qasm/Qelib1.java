package tml.backends.qasm;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import tml.ir.quantum.GateKind;

/**
 * The qelib1.inc library, built in. Gates with an IR kind map to it directly (u and U to u3,
 * cu1 to cp, u0 to id); the remaining ones of Qiskit's qelib1.inc are defined in OpenQASM in
 * {@link #PRELUDE} and expanded like user gates. Names of the original (2017) library may not
 * be redefined; the later additions may, and a file's definition then replaces the built-in.
 */
final class Qelib1 {
    private Qelib1() {}

    static final ImmutableMap<String, GateKind> KINDS = ImmutableMap.<String, GateKind>builder()
            .put("u3", GateKind.U3).put("u2", GateKind.U2).put("u1", GateKind.U1).put("cx", GateKind.CX).put("id", GateKind.ID)
            .put("u0", GateKind.ID).put("u", GateKind.U3).put("p", GateKind.P)
            .put("x", GateKind.X).put("y", GateKind.Y).put("z", GateKind.Z).put("h", GateKind.H)
            .put("s", GateKind.S).put("sdg", GateKind.SDG).put("t", GateKind.T).put("tdg", GateKind.TDG)
            .put("rx", GateKind.RX).put("ry", GateKind.RY).put("rz", GateKind.RZ)
            .put("sx", GateKind.SX).put("sxdg", GateKind.SXDG)
            .put("cz", GateKind.CZ).put("cy", GateKind.CY).put("swap", GateKind.SWAP).put("ch", GateKind.CH)
            .put("ccx", GateKind.CCX).put("cswap", GateKind.CSWAP)
            .put("crx", GateKind.CRX).put("cry", GateKind.CRY).put("crz", GateKind.CRZ)
            .put("cu1", GateKind.CP).put("cp", GateKind.CP).put("cu3", GateKind.CU3)
            .put("rxx", GateKind.RXX).put("rzz", GateKind.RZZ)
            .build();

    /** Names of the 2017 qelib1.inc. */
    static final ImmutableSet<String> ORIGINAL = ImmutableSet.of("u3", "u2", "u1", "cx", "id", "u0", "x", "y", "z", "h", "s", "sdg",
            "t", "tdg", "rx", "ry", "rz", "cz", "cy", "ch", "ccx", "crz", "cu1", "cu3");

    /** Angle count of a built-in gate as written in OpenQASM (u0 takes a duration it ignores). */
    static int numParams(String name) { return name.equals("u0") ? 1 : KINDS.get(name).numAngles(); }

    static final String PRELUDE = """
            gate csx a,b { h b; cu1(pi/2) a,b; h b; }
            gate cu(theta,phi,lambda,gamma) c,t {
              p(gamma) c; p((lambda+phi)/2) c; p((lambda-phi)/2) t;
              cx c,t; u(-theta/2,0,-(phi+lambda)/2) t; cx c,t; u(theta/2,phi,0) t;
            }
            gate rccx a,b,c {
              u2(0,pi) c; u1(pi/4) c; cx b,c; u1(-pi/4) c; cx a,c; u1(pi/4) c; cx b,c; u1(-pi/4) c; u2(0,pi) c;
            }
            gate rc3x a,b,c,d {
              u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d;
              cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d;
              u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d;
            }
            gate c3x a,b,c,d {
              h d; cu1(pi/4) a,d; h d; cx a,b; h d; cu1(-pi/4) b,d; h d; cx a,b; h d; cu1(pi/4) b,d; h d;
              cx b,c; h d; cu1(-pi/4) c,d; h d; cx a,c; h d; cu1(pi/4) c,d; h d;
              cx b,c; h d; cu1(-pi/4) c,d; h d; cx a,c; h d; cu1(pi/4) c,d; h d;
            }
            gate c3sqrtx a,b,c,d {
              h d; cu1(pi/8) a,d; h d; cx a,b; h d; cu1(-pi/8) b,d; h d; cx a,b; h d; cu1(pi/8) b,d; h d;
              cx b,c; h d; cu1(-pi/8) c,d; h d; cx a,c; h d; cu1(pi/8) c,d; h d;
              cx b,c; h d; cu1(-pi/8) c,d; h d; cx a,c; h d; cu1(pi/8) c,d; h d;
            }
            gate c4x a,b,c,d,e {
              h e; cu1(pi/2) d,e; h e; c3x a,b,c,d; h e; cu1(-pi/2) d,e; h e; c3x a,b,c,d; c3sqrtx a,b,c,e;
            }
            """;
}
