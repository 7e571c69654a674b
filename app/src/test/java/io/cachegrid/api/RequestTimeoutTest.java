package io.cachegrid.api;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that asks for big answers and never reads them cannot hold the response budget for good: after
 * {@code CACHEGRID_REQUEST_TIMEOUT_SECONDS} its connection is closed, and other clients' big reads go through again.
 * (Without the timeout every later big read is a 503 for as long as that client keeps its socket open.)
 */
class RequestTimeoutTest {

    private static final int VALUE_BYTES = 6_000_000; // more than loopback's send buffer (4 MiB): one answer blocks mid-write
    private static final int ATTEMPTS = 15; // each a 503 after the budget's 2 s wait, or a 200
    /** Answers the stuck client asks for and never reads. */
    private static final int PIPELINED = 3;

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of(
            "CACHEGRID_REQUEST_TIMEOUT_SECONDS", "4", // longer than the budget's 2 s wait
            "CACHEGRID_MAX_RESPONSE_BYTES", "7000000", // room for one big answer at a time
            "CACHEGRID_MAX_VALUE_BYTES", "6100000"));

    @Test
    void aClientThatNeverReadsItsAnswersIsDisconnectedAndFreesTheBudget() throws Exception {
        String value = "\"" + "x".repeat(VALUE_BYTES - 2) + "\"";
        assertEquals(200, node.put("/cache/big", value).status());
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096); // the server's writes block as soon as the kernel buffers fill
            stuck.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port()));
            OutputStream out = stuck.getOutputStream();
            out.write("GET /cache/big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(PIPELINED).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // first the stuck client holds the budget: a big read waits its 2 s and gets 503 (the request timeout is
            // longer, so the stuck answer is still blocked then) ...
            int status = 0;
            for (int attempt = 0; attempt < ATTEMPTS && status != 503; attempt++) {
                status = node.get("/cache/big").status();
                assertTrue(status == 200 || status == 503, "status " + status);
            }
            assertEquals(503, status, "the stuck client never held the response budget: nothing to free");
            // ... then the request timeout closes its connection and big reads go through again
            for (int attempt = 0; attempt < ATTEMPTS && status != 200; attempt++) {
                status = node.get("/cache/big").status();
                assertTrue(status == 200 || status == 503, "status " + status);
            }
            assertEquals(200, status, "a client that never reads kept the response budget past the request timeout");
            // the stuck connection was closed by the server: reading it to the end finishes (EOF or reset)
            stuck.setSoTimeout(10_000);
            try {
                while (stuck.getInputStream().read(new byte[65536]) >= 0) {
                    // drain what the server had sent before closing
                }
            } catch (SocketException reset) {
                // closed with unsent data: a reset, also a close
            }
        }
        assertEquals(200, node.get("/health").status());
        assertEquals(value, node.get("/cache/big").json().get("value").toString());
    }
}
