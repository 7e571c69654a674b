package io.cachegrid.security;

import java.util.Locale;

/**
 * What a bearer token may do, each role including the ones before it: {@code read} (GET, batch get, stats,
 * metrics), {@code write} (also writes and deletes of keys), {@code admin} (also clear, the admin and load-test
 * routes, the cluster's routes). {@link #PUBLIC} is the role of routes that need no token at all.
 */
public enum Role {
    PUBLIC, READ, WRITE, ADMIN;

    /** True when a token of this role may use a route that needs {@code needed}. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The name used in {@code CACHEGRID_AUTH_TOKENS} and in error details. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code read}, {@code write} or {@code admin}; anything else (including {@code public}) is refused. */
    static Role parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "read" -> READ;
            case "write" -> WRITE;
            case "admin" -> ADMIN;
            default -> throw new IllegalArgumentException("unknown role");
        };
    }
}
