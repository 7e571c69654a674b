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
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_TLS_CERT", cert.toString(),
                "CACHEGRID_TLS_KEY", key.toString(), "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS))) {
            HttpClient https = client(certificate);
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
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias",
                "cachegrid", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "store-pass-1");
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keystore.load(in, "store-pass-1".toCharArray());
        }
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_TLS_KEYSTORE", store.toString(),
                "CACHEGRID_TLS_KEYSTORE_PASSWORD", "store-pass-1"))) {
            HttpResponse<String> health = client(keystore.getCertificate("cachegrid")).send(HttpRequest.newBuilder(
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

    private static HttpClient client(Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("cachegrid", trusted);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }
}
