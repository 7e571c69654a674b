package io.cachegrid.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers one body-less request per connection with 200 and a fixed JSON body, announcing keep-alive, then closes the
 * connection, as a server's idle timeout does: a client must not send its next request on that connection.
 */
final class ClosingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] answer;
    private final AtomicInteger connections = new AtomicInteger();

    ClosingServer(String jsonBody) throws IOException {
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + jsonBody).getBytes(StandardCharsets.UTF_8);
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptUntilClosed);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void acceptUntilClosed() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                connections.incrementAndGet();
                readHead(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                out.write(answer);
                out.flush();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Reads up to the blank line that ends the request head. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0 && matched < end.length; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
