package io.cachegrid.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a {@link CacheGridClient} or a {@link SyncCacheGridClient}; obtain one from their {@code builder()} methods.
 * Defaults: host {@code localhost:8080}, timeout 5 s, 3 retries, back-off 5 s, no auth token (as the Python client).
 *
 * @param <T> the client type built
 */
public final class CacheGridClientBuilder<T> {
    private final Function<ClientSettings, T> factory;
    private final List<String> hosts = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(5);
    private int maxRetries = 3;
    private Duration backoff = Duration.ofSeconds(5);
    private String authToken;

    CacheGridClientBuilder(Function<ClientSettings, T> factory) {
        this.factory = factory;
    }

    /** Adds hosts ("host:port"; port 8080 when absent) in order of preference. */
    public CacheGridClientBuilder<T> hosts(String... hosts) {
        return hosts(List.of(hosts));
    }

    /** Adds hosts ("host:port"; port 8080 when absent) in order of preference. */
    public CacheGridClientBuilder<T> hosts(List<String> hosts) {
        this.hosts.addAll(hosts);
        return this;
    }

    /** Connect and read timeout of one attempt. */
    public CacheGridClientBuilder<T> timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Attempts after the first one when a host is unavailable or times out; 0 disables retries. */
    public CacheGridClientBuilder<T> maxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    /** How long a host that failed is skipped (tried only when every host is down) before it is preferred again. */
    public CacheGridClientBuilder<T> backoff(Duration backoff) {
        this.backoff = backoff;
        return this;
    }

    /** Token sent as {@code Authorization: Bearer <token>} on every request. */
    public CacheGridClientBuilder<T> authToken(String authToken) {
        this.authToken = authToken;
        return this;
    }

    /** Validates the settings and builds the client. */
    public T build() {
        List<String> chosen = hosts.isEmpty() ? List.of("localhost:" + HostAddress.DEFAULT_PORT) : hosts;
        return factory.apply(new ClientSettings(chosen, timeout, maxRetries, backoff, Optional.ofNullable(authToken)));
    }
}
