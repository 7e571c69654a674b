package io.cachegrid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reproduction: a node started under {@code ulimit -n 400} and 450 idle connections. Before, accept
 * failed with "Too many open files", Helidon closed the listening socket and the process lived on with the port
 * closed. Now the cap (lowered to fit the descriptor limit) refuses the connections beyond it at once, the ones it
 * holds keep working, and once they close {@code /health} answers again.
 */
class FdLimitProcessTest {

    private static final int FD_LIMIT = 400;
    private static final int CONNECTIONS = 450;
    /** Longest wait for any single answer; a server that takes longer is hanging. */
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void listenerSurvivesRunningOutOfDescriptors() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = "ulimit -n " + FD_LIMIT + " && exec \"$0\" -cp \"$1\" " + Main.class.getName();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true);
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", "0");
        builder.environment().put("CACHEGRID_LOG_LEVEL", "info");
        Process process = builder.start();
        List<Socket> sockets = new ArrayList<>();
        try {
            int port = boundPort(process);
            int held = 0;
            int refused = 0;
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                sockets.add(socket);
            }
            // every connection now asks for /health: the held ones answer 200, the others were refused (503 or closed)
            for (Socket socket : sockets) {
                int status = health(socket);
                if (status == 200) {
                    held++;
                } else {
                    assertTrue(status == 503 || status == -1, "unexpected answer " + status);
                    refused++;
                }
            }
            assertTrue(held >= 100, "only " + held + " connections held under ulimit -n " + FD_LIMIT);
            assertTrue(refused >= CONNECTIONS - FD_LIMIT, "only " + refused + " refused");
            // the held ones keep working
            int again = 0;
            for (Socket socket : sockets) {
                if (!socket.isClosed() && health(socket) == 200) {
                    again++;
                }
            }
            assertEquals(held, again, "held connections stopped working");
            closeAll(sockets);
            int status = -1;
            for (int i = 0; i < 100 && status != 200; i++) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    status = health(socket);
                } catch (IOException notYet) {
                    status = -1;
                }
                if (status != 200) {
                    Thread.sleep(100);
                }
            }
            assertEquals(200, status, "the listener did not answer /health after the connections closed");
            assertTrue(process.isAlive());
        } finally {
            closeAll(sockets);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Reads the node's log until it names its port; the rest of the log is drained in the background. */
    private static int boundPort(Process process) throws Exception {
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try {
                for (String line = log.readLine(); line != null; line = log.readLine()) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            port.completeExceptionally(new AssertionError("the node ended without listening: " + seen));
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    /** Sends GET /health and returns the status, or -1 when the server closed or reset the connection. */
    private static int health(Socket socket) throws IOException {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(HEALTH);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = readLine(in);
            if (status == null) {
                socket.close();
                return -1;
            }
            int length = 0;
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return Integer.parseInt(status.split(" ")[1]);
        } catch (SocketTimeoutException hang) {
            throw new AssertionError("the server neither answered nor closed within " + TIMEOUT_MILLIS + " ms", hang);
        } catch (IOException closed) {
            socket.close();
            return -1;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString().strip();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
