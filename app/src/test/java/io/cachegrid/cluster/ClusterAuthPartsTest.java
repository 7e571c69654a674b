package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of peer authentication and the cluster port rule, each on its own, with fake clocks. */
class ClusterAuthPartsTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("sixteen chars at least");

    @Test
    void theClusterPortIsTheHttpPortPlus10000OrMinusNearTheTop() {
        assertEquals(18081, ClusterPort.of(8081, 0));
        assertEquals(18080, ClusterPort.of(8080, 0));
        assertEquals(55532, ClusterPort.of(45532, 0));
        assertEquals(50000, ClusterPort.of(60000, 0), "60000 + 10000 does not fit; 60000 - 10000 does");
        assertEquals(55533, ClusterPort.of(65533, 0));
        assertEquals(7800, ClusterPort.of(8081, 7800), "CACHEGRID_CLUSTER_PORT wins");
        for (int http = 1; http <= 65_535; http++) {
            int cluster = ClusterPort.of(http, 0);
            assertTrue(cluster >= 1 && cluster + ClusterPort.RANGE <= 65_535, http + " -> " + cluster);
        }
    }

    @Test
    void aSecretNeverPrintsAndItsTwoKeysDiffer() {
        assertFalse(SECRET.toString().contains("sixteen"));
        assertNotEquals(new String(SECRET.httpKey(), StandardCharsets.ISO_8859_1),
                new String(SECRET.channelKey(), StandardCharsets.ISO_8859_1));
        assertEquals(16, SECRET.channelKey().length);
        assertEquals(32, SECRET.httpKey().length);
    }

    @Test
    void aSignatureVerifiesOnceForItsOwnRequestOnly() {
        AtomicLong now = new AtomicLong(1_000_000);
        RequestSigner signer = new RequestSigner(SECRET, now::get, 7);
        SignatureCheck check = new SignatureCheck(SECRET, now::get, () -> now.get() * 1_000_000);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = signer.sign("PUT", "/cache/a%2Fb?ttl=5", body);
        assertInstanceOf(SignatureCheck.Refused.class, check.check("PUT", "/cache/a%2Fc?ttl=5", Optional.of(header)),
                "another path");
        assertInstanceOf(SignatureCheck.Refused.class, check.check("DELETE", "/cache/a%2Fb?ttl=5",
                Optional.of(header)), "another method");
        assertInstanceOf(SignatureCheck.Refused.class, check.check("PUT", "/cache/a%2Fb?ttl=50",
                Optional.of(header)), "another query");
        SignatureCheck.Outcome ok = check.check("PUT", "/cache/a%2Fb?ttl=5", Optional.of(header));
        assertInstanceOf(SignatureCheck.Accepted.class, ok);
        assertEquals(header.split(" ")[4], ((SignatureCheck.Accepted) ok).signature().bodyHash());
        assertInstanceOf(SignatureCheck.Refused.class, check.check("PUT", "/cache/a%2Fb?ttl=5", Optional.of(header)),
                "the same request again is a replay");
        now.addAndGet(SignatureCheck.MAX_SKEW_MILLIS + 1);
        assertInstanceOf(SignatureCheck.Refused.class, check.check("GET", "/x",
                Optional.of(new RequestSigner(SECRET, () -> 1_000_000, 8).sign("GET", "/x", null))), "stale");
        assertInstanceOf(SignatureCheck.Refused.class, check.check("GET", "/x", Optional.empty()), "missing");
        assertInstanceOf(SignatureCheck.Refused.class, check.check("GET", "/x", Optional.of("v1 a b c d e")),
                "malformed");
    }

    @Test
    void theReplayWindowRefusesRepeatsAndTheTooOldAndForgetsIdleSenders() {
        ReplayWindow window = new ReplayWindow(1_000);
        assertTrue(window.firstUse(1, 5, 0));
        assertTrue(window.firstUse(1, 3, 0), "out of order but new");
        assertFalse(window.firstUse(1, 5, 0));
        assertFalse(window.firstUse(1, 3, 0));
        assertTrue(window.firstUse(2, 5, 0), "another sender has its own numbers");
        assertTrue(window.firstUse(1, 5 + ReplayWindow.WINDOW, 0));
        assertFalse(window.firstUse(1, 4, 0), "fell out of the window: too old to tell, refused");
        assertTrue(window.firstUse(1, 6 + ReplayWindow.WINDOW, 0));
        assertFalse(window.firstUse(1, 0, 0));
        assertEquals(2, window.senders());
        assertTrue(window.firstUse(3, 1, 5_000));
        assertEquals(1, window.senders(), "idle senders are forgotten");
    }
}
