package io.cachegrid.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real server with TLS (a self-signed PKCS#12 keystore made here by keytool) and tokens: the
 * builder's trust store and token make calls work; a wrong token is a 401, a low role a 403, an untrusted server a
 * failure to connect.
 */
class TlsAndTokenClientTest {

    private static final String PASSWORD = "client-test-pass";
    private static final String READ = "client-read-token-0123456789";
    private static final String WRITE = "client-write-token-0123456789";

    private static Path dir;
    private static Path keystore;
    private static ServerProcess server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("cachegrid-tls");
        keystore = dir.resolve("server.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD);
        server = ServerProcess.start(Map.of("CACHEGRID_TLS_KEYSTORE", keystore.toString(),
                "CACHEGRID_TLS_KEYSTORE_PASSWORD", PASSWORD, "CACHEGRID_AUTH_TOKENS", "read:" + READ + ",write:" + WRITE));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.kill();
        }
    }

    @Test
    void trustStoreAndTokenMakeCallsWork() {
        try (SyncCacheGridClient writer = client().authToken(WRITE).build();
             SyncCacheGridClient reader = client().authToken(READ).build()) {
            assertTrue(writer.set("tls-key", Map.of("a", 1)));
            assertEquals(Json.createObjectBuilder().add("a", 1).build(), reader.get("tls-key").orElseThrow());
            CacheGridBadRequestException forbidden = assertThrows(CacheGridBadRequestException.class,
                    () -> reader.set("tls-key", 2));
            assertEquals(403, forbidden.status());
        }
    }

    @Test
    void aWrongTokenIs401AndNotRetried() {
        try (SyncCacheGridClient client = client().authToken("not-a-token-0123456789").build()) {
            CacheGridBadRequestException e = assertThrows(CacheGridBadRequestException.class, () -> client.get("k"));
            assertEquals(401, e.status());
        }
    }

    @Test
    void anUntrustedServerIsRefused() {
        try (SyncCacheGridClient client = SyncCacheGridClient.builder().hosts("127.0.0.1:" + port)
                .sslContext(defaultContext()).authToken(READ).maxRetries(0).timeout(Duration.ofSeconds(3)).build()) {
            assertThrows(CacheGridException.class, () -> client.get("k"));
        }
    }

    private static javax.net.ssl.SSLContext defaultContext() {
        try {
            return javax.net.ssl.SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CacheGridClientBuilder<SyncCacheGridClient> client() {
        return SyncCacheGridClient.builder().hosts("127.0.0.1:" + port).trustStore(keystore, PASSWORD.toCharArray())
                .maxRetries(0).timeout(Duration.ofSeconds(5));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }
}
