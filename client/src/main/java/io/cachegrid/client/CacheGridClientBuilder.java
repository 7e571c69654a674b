package io.cachegrid.client;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a {@link CacheGridClient} or a {@link SyncCacheGridClient}; obtain one from their {@code builder()} methods.
 * Defaults: host {@code localhost:8080}, timeout 5 s, 3 retries, back-off 5 s, no auth token, plain HTTP (as the
 * Python client); {@link #sslContext} or {@link #trustStore} switch to HTTPS.
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
    private SSLContext sslContext;
    private boolean clusterRouting = true;

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

    /**
     * Reaches every host over HTTPS with this context; its trust managers decide which server certificates are
     * accepted (the default {@code SSLContext.getDefault()} trusts the JVM's CA certificates).
     */
    public CacheGridClientBuilder<T> sslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    /**
     * Reaches every host over HTTPS, trusting the certificates in this trust store (PKCS#12 or JKS, the type is
     * detected), e.g. the server's self-signed certificate or the CA that signed it.
     *
     * @param trustStore the trust store file
     * @param password   its password (may be empty)
     * @throws IllegalArgumentException when the file cannot be read as a trust store with this password
     */
    public CacheGridClientBuilder<T> trustStore(Path trustStore, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance(trustStore.toFile(), password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return sslContext(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether, against a cluster, each key is sent straight to its owner (default true): the client reads the ring
     * from {@code GET /cluster} after the first answer that names a cluster view, splits batches by owner and
     * re-reads the ring when the view changes; members it cannot reach are skipped for the configured hosts, which
     * forward. Turn it off when the members' advertised addresses are not reachable from the client.
     */
    public CacheGridClientBuilder<T> clusterRouting(boolean clusterRouting) {
        this.clusterRouting = clusterRouting;
        return this;
    }

    /** Validates the settings and builds the client. */
    public T build() {
        List<String> chosen = hosts.isEmpty() ? List.of("localhost:" + HostAddress.DEFAULT_PORT) : hosts;
        return factory.apply(new ClientSettings(chosen, timeout, maxRetries, backoff, Optional.ofNullable(authToken),
                Optional.ofNullable(sslContext), clusterRouting));
    }
}
