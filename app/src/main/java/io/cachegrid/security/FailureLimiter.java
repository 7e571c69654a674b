package io.cachegrid.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications per client address, so a flood of wrong tokens is answered 429 instead of being
 * checked forever, while requests with a valid token (from the same address too) never consult it.
 * <p>
 * One token bucket per address: it holds up to {@code perMinute} failures and refills at {@code perMinute} per
 * minute; a failure takes one, and an empty bucket means 429 with the seconds until the next one in
 * {@code Retry-After}. IPv6 clients are grouped by their /64, the block one host usually controls.
 * <p>
 * Memory is bounded: at most {@link #MAX_ADDRESSES} buckets, kept in access order, and the least recently failing
 * address is forgotten first (it would have refilled anyway). Only failed requests take the lock.
 */
final class FailureLimiter {

    /** Addresses remembered at once: about 100 bytes each, so at most about 1 MiB. */
    static final int MAX_ADDRESSES = 10_000;

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /**
     * @param perMinute failures allowed per address per minute, also the burst allowed at once
     * @param nanoTime  the clock ({@code System::nanoTime}; a fake one in tests)
     */
    FailureLimiter(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /**
     * Records one failure from this address.
     *
     * @return 0 when it may be answered 401, else the whole seconds (>= 1) until the address may fail again
     */
    synchronized long failure(InetAddress address) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key(address), k -> new Bucket(perMinute, now));
        double refill = (now - bucket.updated) * (double) perMinute / NANOS_PER_MINUTE;
        bucket.tokens = Math.min(perMinute, bucket.tokens + refill);
        bucket.updated = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        double secondsForOne = (1 - bucket.tokens) * 60.0 / perMinute;
        return Math.max(1, (long) Math.ceil(secondsForOne));
    }

    synchronized int size() {
        return buckets.size();
    }

    private static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            StringBuilder prefix = new StringBuilder("v6:");
            for (int i = 0; i < 8; i++) {
                prefix.append(String.format("%02x", bytes[i]));
            }
            return prefix.toString();
        }
        return address.getHostAddress();
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
