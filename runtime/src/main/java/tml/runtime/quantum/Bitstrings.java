package tml.runtime.quantum;

/** Qiskit-order bitstrings: bit 0 (qubit 0 or clbit 0) is the rightmost character. */
public final class Bitstrings {
    private Bitstrings() {}

    public static String of(long value, int width) {
        char[] cs = new char[width];
        for (int i = 0; i < width; i++) cs[width - 1 - i] = (value >>> i & 1) == 0 ? '0' : '1';
        return new String(cs);
    }

    /** The value of a Qiskit-order bitstring. */
    public static long parse(String bits) {
        long v = 0;
        for (int i = 0; i < bits.length(); i++) {
            char ch = bits.charAt(bits.length() - 1 - i);
            if (ch == '1') v |= 1L << i;
            else if (ch != '0') throw new IllegalArgumentException("not a bitstring: " + bits);
        }
        return v;
    }
}
