package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The product contract: every curl line of the seed README, run by bash and curl exactly as written (only the
 * port differs) against a real node, in the README's order, gives the documented answer.
 */
class SeedReadmeCurlTest {

    private static final String SEED_BASE = "http://localhost:8080";

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @Test
    void everySeedCurlLineGivesTheDocumentedAnswer() throws Exception {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 20, "the fixture lost its commands");
        for (Block block : blocks) {
            if (block.command().contains("/test/load")) {
                awaitNoLoadTestRunning(); // one load test at a time: the README's runs follow each other
            }
            String output = run(block.command().replace(SEED_BASE, "http://localhost:" + node.port()));
            for (String expected : block.expected()) {
                if (!output.contains(expected)) {
                    fail("\n" + block.command() + "\nshould print " + expected + " but printed:\n" + output);
                }
            }
        }
    }

    private record Block(List<String> expected, String command) {
    }

    private static List<Block> blocks() throws IOException {
        String fixture;
        try (InputStream in = SeedReadmeCurlTest.class.getResourceAsStream("/seed-readme-curls.sh")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Block> blocks = new ArrayList<>();
        for (String chunk : fixture.split("\n# expect: ")) {
            if (!chunk.contains("curl ") || chunk.startsWith("#")) {
                continue;
            }
            int lineEnd = chunk.indexOf('\n');
            List<String> expected = Arrays.stream(chunk.substring(0, lineEnd).split("\\|\\|")).map(String::strip)
                    .toList();
            blocks.add(new Block(expected, chunk.substring(lineEnd + 1).strip()));
        }
        return blocks;
    }

    /** Runs a command in bash, with curl printing the status after the body, as a person would read it. */
    private static String run(String command) throws IOException, InterruptedException {
        String script = "curl() { command curl -s -w '\\nHTTP %{http_code}\\n' \"$@\"; }\n" + command + "\n";
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "command did not finish: " + command);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void awaitNoLoadTestRunning() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!node.get("/test/load").body().contains("\"status\":\"running\"")) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals("no load test running", "a load test still running after 10 s");
    }
}
