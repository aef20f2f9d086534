package tml.frontend.elab;

import java.util.Optional;

/** "Did you mean" suggestions by edit distance. */
public final class Suggest {
    private Suggest() {}

    public static Optional<String> closest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, name.length() / 3 + 1));
        for (String c : candidates) {
            if (c.equals(name) || Math.abs(c.length() - name.length()) > limit) continue;
            int d = distance(name, c);
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null && name.length() >= 3) {
            // a prefix of a longer name: 'readout' for 'readout_error'
            for (String c : candidates) {
                if (c.startsWith(name) && (best == null || c.length() < best.length())) best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (rleu is one edit from relu). */
    static int distance(String a, String b) {
        int[] prev2 = new int[b.length() + 1], prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = same(a.charAt(i - 1), b.charAt(j - 1)) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && same(a.charAt(i - 1), b.charAt(j - 2)) && same(a.charAt(i - 2), b.charAt(j - 1))) {
                    cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
                }
            }
            int[] t = prev2; prev2 = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private static boolean same(char x, char y) { return Character.toLowerCase(x) == Character.toLowerCase(y); }
}
