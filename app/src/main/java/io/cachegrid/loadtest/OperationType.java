package io.cachegrid.loadtest;

import java.util.Locale;

/** What a load test does: only reads, only writes, or the read-heavy mix caches usually see. */
public enum OperationType {
    GET, SET, MIXED;

    /** Share of reads in a {@link #MIXED} run: 80 % reads, 20 % writes. */
    static final double MIXED_READ_SHARE = 0.8;

    public static OperationType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operation_type must be one of get, set, mixed, got \"" + text + "\"");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
