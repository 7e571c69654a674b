package io.cachegrid.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * The validated settings a client is built from.
 *
 * @param hosts      "host:port" addresses, tried in this order of preference
 * @param timeout    connect and read timeout of one attempt
 * @param maxRetries attempts after the first one (so at most {@code maxRetries + 1} requests per call)
 * @param backoff    how long a host that failed is skipped before it is preferred again
 * @param authToken  sent as {@code Authorization: Bearer <token>} when present
 * @param sslContext when present, every host is reached over HTTPS with it (its trust decides which servers)
 * @param clusterRouting send each key straight to its owner once a cluster's ring is known (see {@link Placement})
 */
record ClientSettings(List<String> hosts, Duration timeout, int maxRetries, Duration backoff,
                      Optional<String> authToken, Optional<SSLContext> sslContext, boolean clusterRouting) {

    ClientSettings(List<String> hosts, Duration timeout, int maxRetries, Duration backoff, Optional<String> authToken) {
        this(hosts, timeout, maxRetries, backoff, authToken, Optional.empty(), true);
    }

    ClientSettings {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host (\"host:port\") is required");
        }
        hosts.forEach(HostAddress::parse);
        requirePositive(timeout, "timeout");
        requirePositive(backoff, "backoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(sslContext, "sslContext");
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
