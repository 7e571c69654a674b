package io.cachegrid.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * Why: every node-to-node call (forward, replicate, fan-out, push, health check) goes through one helidon-webclient
 * with short timeouts and pooled keep-alive connections, and reports an unreachable peer the same way
 * ({@link PeerUnavailableException}). Paths are sent as given, already percent-encoded, so any key survives.
 * When the members serve TLS every call is HTTPS with the given {@link Tls}: it trusts the cluster's own certificate
 * (or CA) and skips the host name check, since members reach each other by pod IP (see security.TlsSetup).
 */
final class PeerClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final WebClient client;
    private final Optional<String> authorization;
    private final String scheme;
    /** Signs every call with the cluster secret (set once, before the node joins); none without a secret. */
    private volatile Optional<RequestSigner> signer = Optional.empty();

    PeerClient() {
        this(Optional.empty(), Optional.empty());
    }

    /**
     * @param authorization the Authorization header every call carries (an admin bearer token), if any
     * @param tls           the TLS of every call when members serve HTTPS; empty for plain HTTP
     */
    PeerClient(Optional<String> authorization, Optional<Tls> tls) {
        this.authorization = authorization;
        this.scheme = tls.isPresent() ? "https://" : "http://";
        var builder = WebClient.builder();
        tls.ifPresent(builder::tls);
        client = builder
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(REQUEST_TIMEOUT)
                .followRedirects(false)
                .shareConnectionCache(false)
                .maxInMemoryEntity(Integer.MAX_VALUE - 64)
                // a request goes out as headers then body: without TCP_NODELAY the body waits for the peer's
                // delayed ACK (Nagle), tens of ms per forwarded or replicated request under load
                .socketOptions(socket -> socket.tcpNoDelay(true).connectTimeout(CONNECT_TIMEOUT)
                        .readTimeout(REQUEST_TIMEOUT))
                .build();
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param to          the peer
     * @param method      HTTP method
     * @param rawPath     path and query, percent-encoded as they should arrive
     * @param mode        the {@link Internal#HEADER} value
     * @param contentType Content-Type of the body, or null for none
     * @param body        the body, or null for none
     * @param timeout     how long to wait for the answer
     * @param headers     further request headers to pass on (the client's preconditions), name to value
     */
    PeerResponse send(NodeAddress to, Method method, String rawPath, String mode, String contentType, byte[] body,
                      Duration timeout, Map<HeaderName, String> headers) throws PeerUnavailableException {
        try {
            HttpClientRequest request = client.method(method)
                    // uri(String) with skipUriEncoding keeps path and query byte for byte (checked against
                    // uri(URI), which decodes the path, and path(), which encodes it again)
                    .uri(scheme + to + rawPath)
                    .skipUriEncoding(true)
                    .readTimeout(timeout)
                    .header(Internal.HEADER, mode);
            authorization.ifPresent(value -> request.header(HeaderNames.AUTHORIZATION, value));
            headers.forEach(request::header);
            signer.ifPresent(s -> request.header(RequestSigner.HEADER, s.sign(method.text(), rawPath, body)));
            if (body != null) {
                request.header(HeaderNames.CONTENT_TYPE, contentType == null ? MediaTypes.APPLICATION_JSON_VALUE
                        : contentType);
            }
            try (HttpClientResponse response = body == null ? request.request() : request.submit(body)) {
                byte[] bytes = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
                Map<HeaderName, String> passedBack = new HashMap<>();
                for (HeaderName name : PeerResponse.PASSED_BACK) {
                    response.headers().first(name).ifPresent(value -> passedBack.put(name, value));
                }
                return new PeerResponse(response.status().code(),
                        response.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), bytes,
                        response.headers().first(HeaderNames.ETAG).orElse(""), passedBack);
            }
        } catch (RuntimeException e) {
            throw new PeerUnavailableException(to, e);
        }
    }

    PeerResponse send(NodeAddress to, Method method, String rawPath, String mode, String contentType, byte[] body,
                      Duration timeout) throws PeerUnavailableException {
        return send(to, method, rawPath, mode, contentType, body, timeout, Map.of());
    }

    PeerResponse send(NodeAddress to, Method method, String rawPath, String mode, String contentType, byte[] body)
            throws PeerUnavailableException {
        return send(to, method, rawPath, mode, contentType, body, REQUEST_TIMEOUT);
    }

    /** Signs every later call with {@code signer} (see {@link RequestSigner}). */
    void signWith(RequestSigner signer) {
        this.signer = Optional.of(signer);
    }

    /** True when the peer answers {@code GET /health} with 200 within the timeout. */
    boolean healthy(NodeAddress peer, Duration timeout) {
        try {
            return send(peer, Method.GET, "/health", Internal.REPLICA, null, null, timeout).ok();
        } catch (PeerUnavailableException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
