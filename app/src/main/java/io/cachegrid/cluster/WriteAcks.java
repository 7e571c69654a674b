package io.cachegrid.cluster;

import java.util.Locale;

/**
 * Why: how many copies of a write must confirm it before the client hears "done" is a trade between latency,
 * availability and what a fault can lose; operators choose it ({@code CACHEGRID_WRITE_ACKS}), and every write path
 * (single key on its primary, batch set on the coordinator) asks this one place how many it needs.
 * <p>
 * The count is taken over the key's owners in the current view ({@code n}, this node included when it is one), so
 * an owner that has left the view is not waited for: with R=2 and one owner out of the view the survivor suffices.
 */
public enum WriteAcks {

    /** The primary alone; the other owners are updated in the background (bounded, best effort). */
    ONE,
    /** A majority of the owners in the view: {@code n / 2 + 1} (with R=2: both while both are in the view). */
    QUORUM,
    /** Every owner in the view. */
    ALL;

    /** The copies needed out of {@code owners} in the view (at least 1). */
    public int required(int owners) {
        int n = Math.max(1, owners);
        return switch (this) {
            case ONE -> 1;
            case QUORUM -> n / 2 + 1;
            case ALL -> n;
        };
    }

    /** The setting's value as written: {@code one}, {@code quorum} or {@code all} (any case). */
    public static WriteAcks parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "one" -> ONE;
            case "quorum" -> QUORUM;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("unknown write acknowledgement level " + text);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
