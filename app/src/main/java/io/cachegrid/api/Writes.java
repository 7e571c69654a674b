package io.cachegrid.api;

import java.util.List;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.IncrResult;
import io.cachegrid.engine.WriteResult;
import io.helidon.http.Status;

/**
 * The writes of the key routes, with their preconditions, as the engine decides them: under the key's segment lock,
 * never read-then-write here. The one place that maps {@link Preconditions} to the engine's conditions and the
 * engine's refusals (a failed condition, a value that is not an integer, an overflow) to the client's 4xx.
 */
final class Writes {

    /** A counter's new value and version. */
    record Counted(long value, long version) {
    }

    private final CacheEngine engine;

    Writes(CacheEngine engine) {
        this.engine = engine;
    }

    CacheEngine engine() {
        return engine;
    }

    /**
     * Stores the value if the preconditions hold.
     *
     * @return the new version
     * @throws ApiException 412 when a precondition fails (nothing is stored, no statistic counts)
     */
    long put(String key, byte[] value, long ttlNanos, List<String> tags, Preconditions conditions) {
        return switch (conditions.forWrite()) {
            case NONE -> engine.put(key, value, ttlNanos, tags);
            case ABSENT -> applied(key, engine.putIf(key, value, ttlNanos, tags, Condition.ABSENT),
                    "already exists");
            case EXISTS -> applied(key, engine.putIf(key, value, ttlNanos, tags, Condition.PRESENT),
                    "does not exist");
            case VERSIONS -> {
                // each listed version in turn: the write applies at a moment when the key had one of them
                WriteResult last = null;
                for (long version : conditions.versions()) {
                    last = engine.putIf(key, value, ttlNanos, tags, Condition.version(version));
                    if (last.applied()) {
                        yield last.version();
                    }
                }
                throw mismatch(key, last);
            }
        };
    }

    /**
     * Stores a member's copy at the version it has on the key's primary, unless this node already holds that
     * version or a newer one (copies may arrive out of order); returns the version held afterwards.
     */
    long putReplica(String key, byte[] value, long ttlNanos, List<String> tags, long version) {
        WriteResult result = engine.putIf(key, value, ttlNanos, tags, Condition.newer(version));
        return result.applied() ? version : result.version();
    }

    /**
     * Applies a member's copy of a delete at the version it has on the key's primary (its tombstone's): removes an
     * older copy and leaves a tombstone, unless this node holds that version or a newer one. True if it applied.
     */
    boolean deleteReplica(String key, long version) {
        if (version == 0) {
            throw ApiException.badRequest("invalid " + CacheService.REPLICA_VERSION_HEADER, "a version is never 0");
        }
        return engine.deleteVersioned(key, version).applied();
    }

    /**
     * Deletes the key if the preconditions hold.
     *
     * @return whether a key was removed
     * @throws ApiException 412 when a precondition fails
     */
    boolean delete(String key, Preconditions conditions) {
        return switch (conditions.forDelete()) {
            case NONE -> engine.delete(key);
            case EXISTS -> {
                applied(key, engine.deleteIf(key, Condition.PRESENT), "does not exist");
                yield true;
            }
            case VERSIONS -> {
                WriteResult last = null;
                for (long version : conditions.versions()) {
                    last = engine.deleteIf(key, Condition.version(version));
                    if (last.applied()) {
                        yield true;
                    }
                }
                throw mismatch(key, last);
            }
            case ABSENT -> throw new IllegalStateException("forDelete never answers ABSENT");
        };
    }

    /**
     * Adds {@code delta} to the key's integer value, creating it at 0 (with {@code ttlNanos}) when absent.
     *
     * @param what how the client asked, for the overflow message ({@code "decr by 5"})
     * @throws ApiException 409 when the value is not an integer, 400 when the result leaves the 64-bit range
     */
    Counted increment(String key, long delta, long ttlNanos, String what) {
        return switch (engine.increment(key, delta, ttlNanos)) {
            case IncrResult.Incremented(long value, long version) -> new Counted(value, version);
            case IncrResult.NotAnInteger ignored -> throw new ApiException(Status.CONFLICT_409, "not an integer",
                    "the value of \"" + key + "\" is not a whole number within 64 bits, so it cannot be counted; "
                    + "overwrite it with PUT first");
            case IncrResult.Overflow ignored -> throw overflow(key, what);
        };
    }

    static ApiException overflow(String key, String what) {
        return ApiException.badRequest("overflow", what + " of \"" + key + "\" would leave the 64-bit range ("
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "); nothing was changed");
    }

    private static long applied(String key, WriteResult result, String refusal) {
        if (!result.applied()) {
            throw Preconditions.failed(key, refusal);
        }
        return result.version();
    }

    private static ApiException mismatch(String key, WriteResult last) {
        if (last == null || last.version() == 0) {
            return Preconditions.failed(key, last == null ? "cannot match an entity tag that is no version (send the"
                    + " ETag of a read)" : "does not exist");
        }
        return Preconditions.failed(key, "has another version (" + Preconditions.etag(last.version()) + ")");
    }
}
