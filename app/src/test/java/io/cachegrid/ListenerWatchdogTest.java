package io.cachegrid;

import java.io.UncheckedIOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * Helidon ends a listener for good after one failed accept (e.g. "Too many open files") and the process lives on with
 * the port closed. Here the listener is made to end by stopping the web server under the node; the node must find
 * its port closed, listen on it again, and keep its data.
 */
class ListenerWatchdogTest {

    @Test
    void aDeadListenerIsReplacedOnTheSamePort() throws InterruptedException {
        try (TestNode node = TestNode.start()) {
            int port = node.port();
            assertEquals(200, node.put("/cache/kept", "\"across restarts\"").status());
            var before = node.server().webServer();
            before.stop();
            int status = 0;
            for (int i = 0; i < 100 && status != 200; i++) {
                try {
                    status = node.get("/health").status();
                } catch (UncheckedIOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertEquals(200, status, "the node did not listen again");
            assertEquals(port, node.port());
            assertNotSame(before, node.server().webServer());
            assertEquals("across restarts", node.get("/cache/kept").json().getString("value"));
        }
    }
}
