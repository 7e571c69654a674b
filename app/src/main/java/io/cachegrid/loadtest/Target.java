package io.cachegrid.loadtest;

import java.util.Locale;

/**
 * Which engine a load test measures. {@link #SCRATCH}, the default, is a fresh engine with the live one's settings,
 * made for the run and dropped after it: user keys, values and statistics stay as they were. {@link #LIVE} measures
 * the engine that serves users, counters, evictions and all, for whoever wants exactly that.
 */
public enum Target {
    SCRATCH, LIVE;

    public static Target parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("target must be scratch (the default) or live, got \"" + text + "\"");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
