package io.cachegrid.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;

import io.cachegrid.Main;
import io.cachegrid.TestNode;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS with a self-signed certificate made in the test: PEM files from openssl, a PKCS#12 keystore from keytool.
 * A real HTTPS request that trusts the certificate succeeds; plain HTTP to the same port does not.
 */
class AuthTlsTest {

    @TempDir
    Path dir;

    @Test
    void pemCertificateAndKey() throws Exception {
        TlsTestFiles.Pem pem = TlsTestFiles.selfSigned(dir, "node", "/CN=localhost", "IP:127.0.0.1,DNS:localhost");
        Path cert = pem.cert();
        Path key = pem.key();
        Certificate certificate = TlsTestFiles.certificate(cert);
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_TLS_CERT", cert.toString(),
                "CACHEGRID_TLS_KEY", key.toString(), "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS))) {
            HttpClient https = TlsTestFiles.trusting(certificate);
            HttpResponse<String> put = https.send(HttpRequest.newBuilder(https(node, "/cache/tls"))
                    .header("Authorization", "Bearer " + AuthClient.WRITE)
                    .PUT(HttpRequest.BodyPublishers.ofString("\"secret\"")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            HttpResponse<String> get = https.send(HttpRequest.newBuilder(https(node, "/cache/tls"))
                    .header("Authorization", "Bearer " + AuthClient.READ).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(get.body().contains("\"secret\""), get.body());
            HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(https(node, "/cache/tls")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertPlainHttpFails(node);
            // a client that does not trust the certificate is refused by its own TLS check
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    https(node, "/health")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void pkcs12Keystore() throws Exception {
        Path store = dir.resolve("node.p12");
        TlsTestFiles.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias",
                "cachegrid", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "store-pass-1");
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keystore.load(in, "store-pass-1".toCharArray());
        }
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_TLS_KEYSTORE", store.toString(),
                "CACHEGRID_TLS_KEYSTORE_PASSWORD", "store-pass-1"))) {
            HttpResponse<String> health = TlsTestFiles.trusting(keystore.getCertificate("cachegrid")).send(HttpRequest.newBuilder(
                    https(node, "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertPlainHttpFails(node);
        }
        ConfigurationException wrong = assertThrows(ConfigurationException.class, () -> resolve(Map.of(
                "CACHEGRID_TLS_KEYSTORE", store.toString(), "CACHEGRID_TLS_KEYSTORE_PASSWORD", "not-the-password")));
        assertTrue(wrong.getMessage().startsWith("CACHEGRID_TLS_KEYSTORE cannot be read"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("not-the-password"));
    }

    @Test
    void incompleteOrMissingFilesStopTheStartWithOneLine() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertTrue(assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_TLS_CERT",
                empty.toString()))).getMessage().startsWith("CACHEGRID_TLS_CERT is set alone"));
        assertTrue(assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_TLS_CERT",
                dir.resolve("none.pem").toString(), "CACHEGRID_TLS_KEY", empty.toString()))).getMessage()
                .contains("is not a readable file"));
        assertTrue(assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_TLS_CERT",
                empty.toString(), "CACHEGRID_TLS_KEY", empty.toString()))).getMessage()
                .startsWith("CACHEGRID_TLS_CERT/CACHEGRID_TLS_KEY "));
        assertTrue(assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_TLS_CERT",
                empty.toString(), "CACHEGRID_TLS_KEY", empty.toString(), "CACHEGRID_TLS_KEYSTORE",
                empty.toString()))).getMessage().contains("not both"));
    }

    private static CacheGridSettings resolve(Map<String, String> env) {
        return CacheGridSettings.resolve(Main.defaults(), env, Map.of());
    }

    private static void assertPlainHttpFails(TestNode node) {
        try {
            HttpResponse<String> plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(node.uri("/health")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("plain HTTP was answered: " + plain.statusCode());
        } catch (IOException expected) {
            // the TLS listener drops a connection that does not start with a handshake
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static URI https(TestNode node, String path) {
        return URI.create("https://127.0.0.1:" + node.port() + path);
    }
}
