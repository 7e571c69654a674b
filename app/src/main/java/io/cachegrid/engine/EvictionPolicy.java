package io.cachegrid.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The rule that picks which entry leaves a full segment. Configured by its lower-case name. */
public enum EvictionPolicy {
    /** Least recently used (the default). */
    LRU,
    /** Least frequently used, ties broken by least recently used. */
    LFU,
    /** Soonest expiring first; entries without TTL last. */
    TTL,
    /** Largest weight first. */
    SIZE,
    /** W-TinyLFU: a small LRU window in front of a segmented LRU guarded by a frequency sketch. */
    TINYLFU;

    /** Parses a configured name, ignoring case and surrounding blanks. */
    public static EvictionPolicy parse(String name) {
        if (name != null) {
            String wanted = name.strip();
            for (EvictionPolicy policy : values()) {
                if (policy.configName().equalsIgnoreCase(wanted)) {
                    return policy;
                }
            }
        }
        throw new IllegalArgumentException("unknown eviction policy '" + name + "'; accepted: " + acceptedNames());
    }

    /** The lower-case name used in configuration and in the stats, e.g. "lru". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String acceptedNames() {
        return Arrays.stream(values()).map(EvictionPolicy::configName).collect(Collectors.joining(", "));
    }
}
