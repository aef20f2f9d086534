package tml.runtime;

import java.util.Collection;
import java.util.Optional;

/** Levenshtein distance, for "did you mean" suggestions. */
final class EditDistance {
    private EditDistance() {}

    static int between(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The candidate closest to {@code name} if it is within about a quarter of the name's length (at least 2 edits). */
    static Optional<String> closest(String name, Collection<String> candidates) {
        int limit = Math.max(2, name.length() / 4);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (Math.abs(c.length() - name.length()) > limit) continue;
            int d = between(name, c);
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }
}
