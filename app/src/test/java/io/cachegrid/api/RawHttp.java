package io.cachegrid.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bare HTTP/1.1 connection over {@link Socket} for what {@link java.net.http.HttpClient} refuses to send: malformed
 * escapes, garbage bytes, headers without a body, hand-made chunked bodies. Every read has a timeout, so a server
 * that hangs fails the test instead of stalling the build.
 */
final class RawHttp implements AutoCloseable {

    /** Longest a test waits for any answer; a server that takes longer is hanging. */
    static final int TIMEOUT_MILLIS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one request and reads its answer on a fresh connection. */
    static Response exchange(int port, byte[] request) {
        try (RawHttp http = connect(port)) {
            http.send(request);
            return http.readResponse();
        }
    }

    static Response exchange(int port, String request) {
        return exchange(port, ascii(request));
    }

    /** Request bytes: the head in ASCII (as a raw socket sends it, no escaping) then the body. */
    static byte[] request(String method, String target, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] h = ascii(head.append("\r\n").toString());
        byte[] b = body == null ? new byte[0] : body;
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String ascii) {
        send(ascii(ascii));
    }

    /** Sends what it can; the server may already have closed (it refused the request), which is fine here. */
    boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends what the client sends (half-close), as a client does that gives up halfway through a body. */
    void endOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response; fails the test if the server neither answers nor closes within the timeout. */
    Response readResponse() {
        Response response = readResponseOrClose();
        if (response == null) {
            fail("the server closed the connection without an answer");
        }
        return response;
    }

    /**
     * The next response, or null when the server closed the connection without one (EOF or reset before the first
     * byte). A timeout fails the test: the server hung.
     */
    Response readResponseOrClose() {
        try {
            String statusLine = readLine(true);
            if (statusLine == null) {
                return null;
            }
            String[] parts = statusLine.split(" ", 3);
            assertTrue(parts.length >= 2 && parts[0].startsWith("HTTP/1."), "not an HTTP status line: " + statusLine);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] body;
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunked();
            } else if (status == 204 || status == 304) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server hung: no answer and no close within " + TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closes the connection (EOF or reset) within the timeout; fails on a hang. */
    boolean closedByServer() {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(false);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                while (!readLine(false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(false);
        }
    }

    /** A CRLF-terminated line; at the start of a response EOF or a reset means "closed", so null. */
    private String readLine(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                if (first && line.size() == 0) {
                    return null;
                }
                throw e;
            }
            if (b < 0) {
                if (first && line.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed mid-response after: " + line);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** A raw response. */
    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonObject json() {
            try (JsonReader reader = Json.createReader(new java.io.StringReader(body))) {
                return reader.readObject();
            }
        }

        /** Asserts the status and the JSON error shape {"error", "detail"}. */
        JsonObject error(int expectedStatus) {
            assertEquals(expectedStatus, status, () -> "unexpected status; body: " + body);
            String type = header("content-type");
            assertTrue(type != null && type.startsWith("application/json"),
                    () -> "error is not JSON (Content-Type " + type + "): " + body);
            JsonObject json = json();
            assertTrue(json.containsKey("error") && json.containsKey("detail"), () -> "no error/detail: " + body);
            return json;
        }
    }
}
