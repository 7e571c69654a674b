package io.cachegrid.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A joining member listens for HTTP before it has installed its first JGroups view, and the other members install
 * the view with it (and forward it reads as owner) before it does. Such a read must not be answered from its empty
 * engine: it waits for the view and is repaired under it, so a key written before the join reads as written
 * (issue 10, ScaleOutInTest: "got absent" during a scale-out).
 */
class JoinerFirstViewTest {

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(2, 1);

    @Test
    void readsForwardedToAJoinerBeforeItHasAViewSeeTheKeysWrittenBefore() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "joining:" + i;
            keys.add(key);
            TestNode.Reply put = cluster.node(0).put("/cache/" + KeyPaths.encode(key), String.valueOf(i));
            assertEquals(200, put.status(), put.body());
        }

        CompletableFuture<TestNode> joined = CompletableFuture.supplyAsync(() -> cluster.startNode(1));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI base = URI.create("http://" + cluster.address(1));
        List<String> wrong = new ArrayList<>();
        int beforeView = 0;
        int answered = 0;
        long deadline = System.nanoTime() + LocalCluster.DEADLINE.toNanos();
        // as the other member does once its view has the joiner: the joiner is the owner, it asks no one else
        for (int i = 0; !(joined.isDone() && answered >= keys.size()); i++) {
            assertTrue(System.nanoTime() < deadline, "timed out reading through the joiner");
            String key = keys.get(i % keys.size());
            HttpRequest read = HttpRequest.newBuilder(base.resolve("/cache/" + KeyPaths.encode(key)))
                    .header(Internal.HEADER.defaultCase(), Internal.OWNER).timeout(Duration.ofSeconds(10)).GET()
                    .build();
            HttpResponse<String> answer;
            try {
                answer = http.send(read, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                Thread.sleep(2); // not listening yet
                continue;
            }
            answered++;
            String view = answer.headers().firstValue(PeerAuthFilter.VIEW_HEADER.defaultCase()).orElse("none");
            if (view.equals("none") || view.equals(String.valueOf(Membership.NO_VIEW))) {
                beforeView++; // arrived before the joiner had installed a view
            }
            if (answer.statusCode() != 200 || !answer.body().contains("\"value\":" + (i % keys.size()))) {
                wrong.add(key + " (view " + view + "): " + answer.statusCode() + " " + answer.body());
            }
        }
        joined.get(LocalCluster.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(beforeView > 0, "no read reached the joiner before its first view (" + answered
                + " answered): this test showed nothing");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + answered + " reads (" + beforeView
                + " before the joiner's first view) were wrong: " + wrong);
    }
}
