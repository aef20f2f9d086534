package tml.ir.quantum;

import com.google.common.collect.ImmutableList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A quantum device: physical qubits, the couplings where two-qubit gates may act (undirected),
 * per-qubit single-qubit gate error and readout error rates. Routing uses the couplings;
 * noise models may be derived from the error rates.
 */
public record Device(String name, int numQubits, ImmutableList<Coupling> couplings,
                     ImmutableList<Double> singleQubitErrors, ImmutableList<Double> readoutErrors) {

    public Device {
        if (numQubits < 1) throw new IllegalArgumentException("a device needs qubits");
        for (Coupling c : couplings)
            if (c.a() >= numQubits || c.b() >= numQubits) throw new IllegalArgumentException("coupling " + c + " outside " + numQubits + " qubits");
        if (singleQubitErrors.size() != numQubits || readoutErrors.size() != numQubits)
            throw new IllegalArgumentException("need one single-qubit and one readout error rate per qubit");
    }

    /** A device with the given couplings (pairs a0,b0,a1,b1,...) and uniform error rates. */
    public static Device of(String name, int numQubits, double gate1Error, double gate2Error, double readoutError, int... pairs) {
        if (pairs.length % 2 != 0) throw new IllegalArgumentException("couplings come in pairs");
        ImmutableList.Builder<Coupling> cs = ImmutableList.builder();
        for (int i = 0; i < pairs.length; i += 2) cs.add(new Coupling(pairs[i], pairs[i + 1], gate2Error));
        return new Device(name, numQubits, cs.build(), ImmutableList.copyOf(Collections.nCopies(numQubits, gate1Error)),
                ImmutableList.copyOf(Collections.nCopies(numQubits, readoutError)));
    }

    /** Qubits 0-1-2-…-(n-1) in a line, error-free. */
    public static Device line(int n) {
        int[] p = new int[2 * (n - 1)];
        for (int i = 0; i + 1 < n; i++) { p[2 * i] = i; p[2 * i + 1] = i + 1; }
        return of("line" + n, n, 0, 0, 0, p);
    }

    /** A ring of n qubits, error-free. */
    public static Device ring(int n) {
        int[] p = Arrays.copyOf(line(n).pairs(), 2 * n);
        p[2 * n - 2] = n - 1;
        p[2 * n - 1] = 0;
        return of("ring" + n, n, 0, 0, 0, p);
    }

    /** A rows×cols grid (qubit r*cols+c), error-free. */
    public static Device grid(int rows, int cols) {
        List<Integer> p = new ArrayList<>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int q = r * cols + c;
                if (c + 1 < cols) { p.add(q); p.add(q + 1); }
                if (r + 1 < rows) { p.add(q); p.add(q + cols); }
            }
        return of("grid" + rows + "x" + cols, rows * cols, 0, 0, 0, p.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Every pair coupled, error-free. */
    public static Device fullyConnected(int n) {
        List<Integer> p = new ArrayList<>();
        for (int a = 0; a < n; a++) for (int b = a + 1; b < n; b++) { p.add(a); p.add(b); }
        return of("full" + n, n, 0, 0, 0, p.stream().mapToInt(Integer::intValue).toArray());
    }

    public boolean coupled(int a, int b) { return couplings.stream().anyMatch(c -> c.joins(a, b)); }

    /** The two-qubit error rate on a coupling, or empty when a and b are not coupled. */
    public OptionalDouble couplingError(int a, int b) {
        return couplings.stream().filter(c -> c.joins(a, b)).mapToDouble(Coupling::error).findFirst();
    }

    /** Neighbours of each physical qubit. */
    public int[][] neighbors() {
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < numQubits; i++) adj.add(new ArrayList<>());
        for (Coupling c : couplings) {
            if (!adj.get(c.a()).contains(c.b())) adj.get(c.a()).add(c.b());
            if (!adj.get(c.b()).contains(c.a())) adj.get(c.b()).add(c.a());
        }
        int[][] out = new int[numQubits][];
        for (int i = 0; i < numQubits; i++) out[i] = adj.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        return out;
    }

    /** Hop distances between physical qubits (Integer.MAX_VALUE / 4 when disconnected). */
    public int[][] distances() {
        int[][] adj = neighbors();
        int inf = Integer.MAX_VALUE / 4;
        int[][] d = new int[numQubits][numQubits];
        for (int s = 0; s < numQubits; s++) {
            Arrays.fill(d[s], inf);
            d[s][s] = 0;
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(s));
            while (!queue.isEmpty()) {
                int u = queue.poll();
                for (int v : adj[u]) if (d[s][v] == inf) { d[s][v] = d[s][u] + 1; queue.add(v); }
            }
        }
        return d;
    }

    private int[] pairs() {
        int[] p = new int[2 * couplings.size()];
        for (int i = 0; i < couplings.size(); i++) { p[2 * i] = couplings.get(i).a(); p[2 * i + 1] = couplings.get(i).b(); }
        return p;
    }
}
