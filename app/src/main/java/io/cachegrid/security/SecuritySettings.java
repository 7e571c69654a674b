package io.cachegrid.security;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.common.tls.Tls;

/**
 * Access control, TLS and CORS as resolved at start (see {@code CacheGridSettings} for the variables). All off by
 * default: no tokens, no TLS, no CORS, and the node behaves exactly as without this package.
 *
 * @param tokens            accepted bearer tokens; {@link AuthTokens#none()} switches authentication off
 * @param failuresPerMinute failed authentications allowed per client address per minute before 429
 * @param tls               the listener's TLS, or empty for plain HTTP
 * @param peerTls           the TLS of calls to cluster peers (present exactly when {@code tls} is): trusts this
 *                          node's own certificate and the CAs of {@code CACHEGRID_TLS_TRUST}, no host name check
 * @param corsOrigins       origins allowed to call from a browser; empty switches CORS off
 */
public record SecuritySettings(AuthTokens tokens, int failuresPerMinute, Optional<Tls> tls, Optional<Tls> peerTls,
                               List<String> corsOrigins) {

    public SecuritySettings {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Everything off. */
    public static SecuritySettings off() {
        return new SecuritySettings(AuthTokens.none(), 30, Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * Reads the TLS keys (the files must exist and hold a key) and combines the rest.
     *
     * @param tlsTrust {@code CACHEGRID_TLS_TRUST}: empty, or a PEM bundle of CAs that cluster peers' certificates
     *                 may be signed by
     */
    public static SecuritySettings create(AuthTokens tokens, int failuresPerMinute, String tlsCert, String tlsKey,
                                          String keystore, String keystorePassword, String tlsTrust,
                                          List<String> corsOrigins) {
        TlsSetup.Loaded loaded = TlsSetup.load(tlsCert, tlsKey, keystore, keystorePassword, tlsTrust);
        return new SecuritySettings(tokens, failuresPerMinute, loaded.server(), loaded.peers(), corsOrigins);
    }

    /**
     * {@code CACHEGRID_CORS_ORIGINS}: comma-separated origins as a browser sends them, {@code scheme://host[:port]}
     * with no path; {@code *} is refused (list the origins).
     */
    public static List<String> corsOrigins(String text) {
        return Stream.of(text.split(",")).map(String::strip).filter(o -> !o.isEmpty()).map(origin -> {
            URI uri = URI.create(origin);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawPath() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("not an origin");
            }
            return origin;
        }).distinct().toList();
    }

    public boolean authEnabled() {
        return tokens.enabled();
    }

    @Override
    public String toString() {
        return "SecuritySettings[auth=" + tokens.describe() + ", tls=" + tls.isPresent() + ", cors=" + corsOrigins
                + "]";
    }
}
