package io.cachegrid.engine;

/**
 * What must hold for a conditional write ({@link CacheEngine#putIf}, {@link CacheEngine#deleteIf}) to apply. It
 * is decided under the key's segment lock, in the same hold as the write: no read-then-write window.
 * <ul>
 *   <li>{@link #ANY}: always (an unconditional write);</li>
 *   <li>{@link #ABSENT}: no live entry for the key (HTTP {@code If-None-Match: *}, set-if-absent);</li>
 *   <li>{@link #PRESENT}: a live entry, whatever its version (HTTP {@code If-Match: *});</li>
 *   <li>{@link Version}: a live entry of exactly that version (HTTP {@code If-Match: "<v>"}, compare-and-set);</li>
 *   <li>{@link Newer}: no live entry, or one older than the given version, and the write keeps that version
 *   instead of taking a new one: how an owner applies a copy replicated from the key's primary, so copies that
 *   arrive out of order never replace a newer one.</li>
 * </ul>
 */
public sealed interface Condition {
    Condition ANY = new Any();
    Condition ABSENT = new Absent();
    Condition PRESENT = new Present();

    /** A live entry of exactly this version. */
    static Condition version(long expected) {
        return new Version(expected);
    }

    /** No live entry, or an older one; the entry written carries {@code version} (a replicated copy). */
    static Condition newer(long version) {
        return new Newer(version);
    }

    /** Whether the condition holds for a key whose live entry has {@code version}, or none ({@code present} false). */
    boolean holds(boolean present, long version);

    record Any() implements Condition {
        @Override
        public boolean holds(boolean present, long version) {
            return true;
        }
    }

    record Absent() implements Condition {
        @Override
        public boolean holds(boolean present, long version) {
            return !present;
        }
    }

    record Present() implements Condition {
        @Override
        public boolean holds(boolean present, long version) {
            return present;
        }
    }

    record Version(long expected) implements Condition {
        @Override
        public boolean holds(boolean present, long version) {
            return present && version == expected;
        }
    }

    record Newer(long version) implements Condition {
        @Override
        public boolean holds(boolean present, long current) {
            return !present || Long.compareUnsigned(current, version) < 0;
        }
    }
}
