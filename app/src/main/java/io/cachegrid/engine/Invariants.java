package io.cachegrid.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Small helpers for the invariant checks: they fail loudly with a message naming what disagrees. */
final class Invariants {
    private Invariants() {
    }

    static void check(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }

    /** Checks that an index holds exactly the entries of the map, each once. */
    static void sameEntries(String index, Collection<Entry> expected, Collection<Entry> indexed) {
        check(indexed.size() == expected.size(),
              index + " holds " + indexed.size() + " entries, the map " + expected.size());
        Set<Entry> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Entry entry : indexed) {
            check(seen.add(entry), index + " holds " + entry + " twice");
        }
        for (Entry entry : expected) {
            check(seen.contains(entry), index + " lacks " + entry);
        }
    }
}
