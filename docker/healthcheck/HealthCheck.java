/*
 * Container health probe for CacheGrid images.
 *
 * The runtime image (eclipse-temurin:25-jre, Ubuntu) ships neither curl, wget nor Python, so Docker's HEALTHCHECK
 * runs this class on the JRE that is already there. It sends one plain HTTP/1.1 request, GET /health, to the server
 * inside the same container and exits 0 when the answer is 200, 1 otherwise (503 "not healthy", refused, timeout).
 *
 * Port: CACHEGRID_PORT, else PORT (Heroku style), else 8080 -- the same precedence as the server.
 * Host: 127.0.0.1, unless CACHEGRID_HOST names one specific address (then the server listens only there).
 * TLS: when the server has CACHEGRID_TLS_CERT or CACHEGRID_TLS_KEYSTORE, the probe speaks HTTPS and trusts exactly
 * the certificate in those files (the server's own), whatever name it was issued for. /health needs no token.
 * Uses java.base only, so it also runs on a jlink'd runtime that contains just the server's modules.
 */
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collections;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public final class HealthCheck {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 3_000;
    private static final String PATH = "/health";

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String host = host(System.getenv("CACHEGRID_HOST"));
        int port = port(System.getenv("CACHEGRID_PORT"), System.getenv("PORT"));
        try {
            int status = status(host, port);
            System.out.println("GET " + scheme() + "://" + host + ":" + port + PATH + " -> " + status);
            System.exit(status == 200 ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            System.out.println("GET " + scheme() + "://" + host + ":" + port + PATH + " failed: " + e);
            System.exit(1);
        }
    }

    static String host(String configured) {
        if (configured == null || configured.isBlank()
                || configured.equals("0.0.0.0") || configured.equals("::") || configured.equals("[::]")) {
            return "127.0.0.1";
        }
        return configured.trim();
    }

    static int port(String cachegridPort, String herokuPort) {
        for (String candidate : new String[] {cachegridPort, herokuPort}) {
            if (candidate != null && !candidate.isBlank()) {
                return Integer.parseInt(candidate.trim());
            }
        }
        return 8080;
    }

    private static boolean tls() {
        return !blank(System.getenv("CACHEGRID_TLS_CERT")) || !blank(System.getenv("CACHEGRID_TLS_KEYSTORE"));
    }

    private static String scheme() {
        return tls() ? "https" : "http";
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /** Trusts the certificates of the server's own PEM chain or keystore, nothing else. */
    private static SSLContext tlsContext() throws IOException {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            String pem = System.getenv("CACHEGRID_TLS_CERT");
            int n = 0;
            if (!blank(pem)) {
                try (InputStream in = Files.newInputStream(Path.of(pem.trim()))) {
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("cert-" + n++, certificate);
                    }
                }
            } else {
                String password = System.getenv("CACHEGRID_TLS_KEYSTORE_PASSWORD");
                KeyStore store = KeyStore.getInstance(Path.of(System.getenv("CACHEGRID_TLS_KEYSTORE").trim()).toFile(),
                        (password == null ? "" : password).toCharArray());
                for (String alias : Collections.list(store.aliases())) {
                    Certificate certificate = store.getCertificate(alias);
                    if (certificate != null) {
                        trust.setCertificateEntry("cert-" + n++, certificate);
                    }
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the server's certificate: " + e, e);
        }
    }

    /** Sends GET /health and returns the status code of the answer's status line. */
    static int status(String host, int port) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            plain.setSoTimeout(READ_TIMEOUT_MILLIS);
            Socket socket = tls() ? tlsContext().getSocketFactory().createSocket(plain, host, port, true) : plain;
            OutputStream out = socket.getOutputStream();
            String request = "GET " + PATH + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine(); // e.g. "HTTP/1.1 200 OK"
            if (statusLine == null) {
                throw new IOException("connection closed before a status line");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
