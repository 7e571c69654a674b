package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Why: fault tests pick their keys by where they live (e.g. "the frozen member is their primary"). */
final class Keys {

    private Keys() {
    }

    /** {@code count} keys {@code prefix0, prefix1, ...} that pass {@code wanted}, in order. */
    static List<String> where(String prefix, int count, Predicate<String> wanted) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (i > 1_000_000) {
                throw new IllegalStateException("fewer than " + count + " keys " + prefix + "* pass the filter");
            }
            String key = prefix + i;
            if (wanted.test(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    static List<String> all(String prefix, int count) {
        return where(prefix, count, key -> true);
    }
}
