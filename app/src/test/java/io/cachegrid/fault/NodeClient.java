package io.cachegrid.fault;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Why: every fault test talks to members the same way a user does (plain HTTP on 127.0.0.1) and needs each answer
 * as a {@link Reply}, never an exception, so that a timeout or a refused connection becomes an operation of unknown
 * outcome instead of ending the client thread.
 * <p>
 * Reads of one member's own copy ({@link #localEntry}) ask with {@code ?local=true}; until every member
 * understands that, they also carry the member header (a member answers such a request from its own engine). Once
 * a member refuses that header from a client (401/403: peers are authenticated), it is no longer sent.
 */
final class NodeClient {

    private static final String INTERNAL_HEADER = "X-CacheGrid-Internal";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;
    private volatile boolean memberHeaderRefused;

    NodeClient(Duration timeout) {
        this.timeout = timeout;
    }

    static String path(String key) {
        return "/cache/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Writes the string {@code value} (as a JSON string) under the key. */
    Reply put(int port, String key, String value) {
        return send(request(port, path(key)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("\"" + value + "\"")));
    }

    Reply delete(int port, String key) {
        return send(request(port, path(key)).DELETE());
    }

    Reply get(int port, String key) {
        return send(request(port, path(key)).GET());
    }

    Reply cluster(int port) {
        return send(request(port, "/cluster").GET());
    }

    /** The member's own copy of the key (exists or not, value, version), without routing to an owner. */
    Reply localEntry(int port, String key) {
        String path = "/admin/entry/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
                + "?local=true";
        if (!memberHeaderRefused) {
            Reply reply = send(request(port, path).header(INTERNAL_HEADER, "replica").GET());
            if (reply.status() != 401 && reply.status() != 403) {
                return reply;
            }
            memberHeaderRefused = true;
        }
        return send(request(port, path).GET());
    }

    private HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("ETag").orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.none(e);
        } catch (Exception e) {
            return Reply.none(e);
        }
    }
}
