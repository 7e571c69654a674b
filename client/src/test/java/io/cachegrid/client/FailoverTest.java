package io.cachegrid.client;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failover between real servers: a host that was never up, and a host killed while the client uses it. */
class FailoverTest {

    @Test
    void deadFirstHostIsSkipped() {
        try (DeadPort dead = new DeadPort();
             SyncCacheGridClient client = SyncCacheGridClient.builder()
                     .hosts(dead.address(), SharedServer.get().address()).build()) {
            assertTrue(client.set("failover:dead-first", "ok"));
            assertEquals(Optional.of("ok"), client.get("failover:dead-first", String.class));
        }
    }

    @Test
    void hostKilledMidRunFailsOverToTheNext() {
        ServerProcess victim = ServerProcess.start();
        try (CacheGridClient client = CacheGridClient.builder().hosts(victim.address(), SharedServer.get().address())
                .timeout(Duration.ofSeconds(2)).maxRetries(2).build()) {
            client.set("failover:where", "victim").join();
            assertEquals(Optional.of("victim"), client.get("failover:where", String.class).join());
            victim.kill();
            // The victim's keep-alive connection is now dead too: the next call must move to the second host.
            assertEquals(Optional.empty(), client.get("failover:where").join(), "the second server never had it");
            client.set("failover:where", "survivor").join();
            assertEquals(Optional.of("survivor"), client.get("failover:where", String.class).join());
        } finally {
            victim.close();
        }
    }
}
