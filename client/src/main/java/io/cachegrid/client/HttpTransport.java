package io.cachegrid.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Sends one {@link ApiRequest} to one {@link Host} and turns the outcome into a JSON answer or a typed exception:
 * 2xx gives the parsed body, 4xx a {@link CacheGridBadRequestException}, 5xx and broken connections a
 * {@link CacheGridUnavailableException}, a connect or read timeout a {@link CacheGridTimeoutException}.
 * It never retries; {@link FailoverExecutor} decides that.
 */
final class HttpTransport {
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Names the cluster view the answering member routes by (see {@link Placement}). */
    static final HeaderName VIEW = HeaderNames.create("X-CacheGrid-View");

    private final ClientSettings settings;

    HttpTransport(ClientSettings settings) {
        this.settings = settings;
    }

    /** Creates the HTTP/1.1 client (keep-alive connection cache, timeouts, auth header) for one address. */
    Host connect(String address) {
        URI base = HostAddress.parse(address);
        var builder = WebClient.builder()
                .baseUri(settings.sslContext().isPresent() ? URI.create("https://" + base.getRawAuthority()) : base)
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .keepAlive(true)
                // Small requests and answers must not wait for Nagle's algorithm (40 ms stalls on getMulti otherwise)
                .socketOptions(socket -> socket.tcpNoDelay(true)
                        .connectTimeout(settings.timeout())
                        .readTimeout(settings.timeout()))
                .shareConnectionCache(false)
                .followRedirects(false);
        settings.authToken().ifPresent(token -> builder.addHeader(HeaderNames.AUTHORIZATION, "Bearer " + token));
        settings.sslContext().ifPresent(context -> builder.tls(Tls.builder().sslContext(context).build()));
        return new Host(address, builder.build());
    }

    /** Sends the request; returns the JSON object every 2xx answer of the REST contract carries, and its ETag. */
    ApiAnswer send(Host host, ApiRequest request) {
        // The path arrives encoded (a key may hold '/', '?', '%'); query values are encoded here, the same way.
        HttpClientRequest http = host.client().method(request.method()).skipUriEncoding(true).path(request.path());
        for (Map.Entry<String, String> param : request.query().entrySet()) {
            http.queryParam(param.getKey(), ApiRequest.segment(param.getValue()));
        }
        request.headers().forEach((name, value) -> http.header(HeaderNames.create(name), value));
        try (HttpClientResponse response = exchange(http, request)) {
            int status = response.status().code();
            byte[] body = response.inputStream().readAllBytes();
            JsonObject answer = interpret(host, request, status, body);
            return new ApiAnswer(answer,
                    ApiAnswer.versionFromEtag(response.headers().first(HeaderNames.ETAG).orElse(null)),
                    ApiAnswer.viewFromHeader(response.headers().first(VIEW).orElse(null)));
        } catch (CacheGridException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(host, request, e);
        }
    }

    private static HttpClientResponse exchange(HttpClientRequest http, ApiRequest request) {
        if (request.body() == null) {
            return http.request();
        }
        byte[] json = request.body().toString().getBytes(StandardCharsets.UTF_8);
        return http.header(HeaderValues.CONTENT_TYPE_JSON).submit(json);
    }

    private static JsonObject interpret(Host host, ApiRequest request, int status, byte[] body) {
        if (status >= 200 && status < 300) {
            if (parse(body).orElse(null) instanceof JsonObject answer) {
                return answer;
            }
            throw new CacheGridException(request + " answered " + status + " without a JSON object",
                    host.address(), status, null);
        }
        if (status >= 400 && status < 500) {
            JsonValue error = parse(body).orElse(JsonValue.NULL);
            throw new CacheGridBadRequestException(host.address(), status,
                    field(error, "error", "HTTP " + status), field(error, "detail", ""));
        }
        throw new CacheGridUnavailableException(request + " answered HTTP " + status, host.address(), status, null);
    }

    private static Optional<JsonValue> parse(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body))) {
            return Optional.of(reader.readValue());
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    private static String field(JsonValue object, String name, String fallback) {
        if (object instanceof JsonObject json && json.get(name) instanceof JsonString text) {
            return text.getString();
        }
        return fallback;
    }

    private CacheGridException failure(Host host, ApiRequest request, Exception e) {
        if (isTimeout(e)) {
            return new CacheGridTimeoutException(request + " got no answer within " + settings.timeout(),
                    host.address(), e);
        }
        return new CacheGridUnavailableException(request + " failed: " + e, host.address(), 0, e);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException
                    || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
