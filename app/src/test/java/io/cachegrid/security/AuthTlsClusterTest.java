package io.cachegrid.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cachegrid.Main;
import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two members serving HTTPS with one self-signed certificate (made here by openssl, SAN IP:127.0.0.1) and tokens
 * on: members call each other over TLS, trusting that certificate, so forwarding and health checks work, while the
 * members' port answers no plain HTTP.
 */
class AuthTlsClusterTest {

    private static Path dir;
    private static TlsTestFiles.Pem pem;
    private static Path cert;
    private static TestNode a;
    private static TestNode b;
    private static HttpClient https;
    private static final String CLUSTER_SECRET = "tls cluster shared secret 0123";

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("cachegrid-tls-cluster");
        pem = TlsTestFiles.selfSigned(dir, "cluster", "/CN=cachegrid", "IP:127.0.0.1");
        cert = pem.cert();
        Path key = pem.key();
        https = TlsTestFiles.trusting(TlsTestFiles.certificate(cert));
        PortReservation ra = new PortReservation();
        PortReservation rb = new PortReservation();
        int pa = ra.port();
        int pb = rb.port();
        Map<String, String> env = Map.of("CACHEGRID_PEERS", "127.0.0.1:" + pa + ",127.0.0.1:" + pb,
                "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS, "CACHEGRID_REPLICATION_FACTOR", "1",
                "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25", "CACHEGRID_TLS_CERT", cert.toString(),
                "CACHEGRID_TLS_KEY", key.toString(), "CACHEGRID_CLUSTER_SECRET", CLUSTER_SECRET);
        try (ra; rb) {
            a = TestNode.start(pa, env);
            b = TestNode.start(pb, env);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(bothUp(a) && bothUp(b))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("members did not see each other over TLS: "
                        + call(a, "GET", "/cluster", null, AuthClient.ADMIN).body());
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void keysWrittenThroughOneMemberAreReadThroughTheOther() throws Exception {
        // with R=1 about half of these keys live on the other member, so requests are forwarded both ways
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> put = call(a, "PUT", "/cache/tls" + i, String.valueOf(i), AuthClient.WRITE);
            assertEquals(200, put.statusCode(), put.body());
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> get = call(b, "GET", "/cache/tls" + i, null, AuthClient.READ);
            assertEquals(200, get.statusCode(), get.body());
            assertTrue(get.body().contains("\"value\":" + i), get.body());
        }
        HttpResponse<String> keys = call(b, "GET", "/admin/keys?pattern=tls", null, AuthClient.ADMIN);
        assertTrue(keys.body().contains("\"total_found\":20"), keys.body());
        assertEquals(401, call(b, "GET", "/cache/tls1", null, null).statusCode());
    }

    @Test
    void aMemberWithAnotherCertificateIsNotTrusted() throws Exception {
        // membership is the cluster secret's to grant (JGroups), and peers trust the cluster's certificate only: a node
        // with a certificate of its own (same SAN, same tokens) and without the secret sees the members down
        TlsTestFiles.Pem otherPem = TlsTestFiles.selfSigned(dir, "other", "/CN=cachegrid", "IP:127.0.0.1");
        Path otherCert = otherPem.cert();
        Path otherKey = otherPem.key();
        HttpClient other = TlsTestFiles.trusting(TlsTestFiles.certificate(otherCert));
        PortReservation reservation = new PortReservation();
        int port = reservation.port();
        TestNode c;
        try (reservation) {
            c = TestNode.start(port, Map.of("CACHEGRID_PEERS", "127.0.0.1:" + a.port() + ",127.0.0.1:" + port,
                    "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS, "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25",
                    "CACHEGRID_TLS_CERT", otherCert.toString(), "CACHEGRID_TLS_KEY", otherKey.toString()));
        }
        try (c) {
            Thread.sleep(1500);
            HttpResponse<String> view = other.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                            + "/cluster")).header("Authorization", "Bearer " + AuthClient.ADMIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, view.statusCode(), view.body());
            assertTrue(view.body().contains("\"down\""), view.body());
            // and the cluster's members still see only each other, both up
            assertTrue(bothUp(a) && bothUp(b));
        }
    }

    @Test
    void membersAnswerNoPlainHttp() {
        for (TestNode node : List.of(a, b)) {
            assertThrows(IOException.class, () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .build().send(HttpRequest.newBuilder(node.uri("/health")).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aTrustBundleNeedsTlsAndACertificate() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        ConfigurationException alone = assertThrows(ConfigurationException.class,
                () -> resolve(Map.of("CACHEGRID_TLS_TRUST", cert.toString())));
        assertTrue(alone.getMessage().startsWith("CACHEGRID_TLS_TRUST is set without TLS"), alone.getMessage());
        Map<String, String> env = new HashMap<>(Map.of("CACHEGRID_TLS_CERT", cert.toString(),
                "CACHEGRID_TLS_KEY", pem.key().toString(), "CACHEGRID_TLS_TRUST", empty.toString()));
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> resolve(env));
        assertTrue(none.getMessage().startsWith("CACHEGRID_TLS_TRUST="), none.getMessage());
        env.put("CACHEGRID_TLS_TRUST", cert.toString());
        assertTrue(resolve(env).security().peerTls().isPresent());
    }

    private static CacheGridSettings resolve(Map<String, String> env) {
        return CacheGridSettings.resolve(Main.defaults(), env, Map.of());
    }

    private static boolean bothUp(TestNode node) throws Exception {
        HttpResponse<String> reply = call(node, "GET", "/cluster", null, AuthClient.ADMIN);
        return reply.statusCode() == 200 && !reply.body().contains("\"down\"")
                && reply.body().split("\"address\"").length == 3;
    }

    private static HttpResponse<String> call(TestNode node, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
