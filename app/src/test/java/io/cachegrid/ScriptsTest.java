package io.cachegrid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripts a newcomer runs first: they say what they expect, and they pick the JDK one way. */
class ScriptsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPTS = ROOT.resolve("scripts");

    /** Runs a script with bash from the repository root; returns its exit code and everything it printed. */
    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("bash"), Stream.of(command)).toList())
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "still running: " + output);
        return new Result(process.exitValue(), output);
    }

    private record Result(int status, String output) {
    }

    @Test
    void exampleWithAnUnknownNameListsTheExamples() throws Exception {
        List<String> examples;
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/java"))) {
            examples = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList();
        }
        assertTrue(!examples.isEmpty(), "no examples found");
        for (String[] args : List.of(new String[] {"scripts/example.sh", "Foo"}, new String[] {"scripts/example.sh"})) {
            Result result = run(args);
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("examples: " + String.join(" ", examples)), result.output());
        }
        assertTrue(run("scripts/example.sh", "Foo").output().contains("no example named 'Foo'"));
    }

    @Test
    void clusterLocalRefusesPortsThatAreNotPorts() throws Exception {
        Result result = run("-c", "CLUSTER_LOCAL_PORTS='8081 http' exec bash scripts/cluster-local.sh");
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("CLUSTER_LOCAL_PORTS") && result.output().contains("'http'"),
                result.output());
    }

    /**
     * scripts/jdk.sh is the one place that chooses the JDK: no other script names a JDK directory. The bench-*.sh
     * scripts belong to the benchmark work and are left out here.
     */
    @Test
    void everyScriptTakesItsJdkFromJdkSh() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            List<Path> scripts = files.filter(f -> f.toString().endsWith(".sh"))
                    .filter(f -> !f.getFileName().toString().equals("jdk.sh"))
                    .filter(f -> !f.getFileName().toString().startsWith("bench-"))
                    .toList();
            for (Path script : scripts) {
                String text = Files.readString(script);
                assertTrue(!text.contains("/usr/lib/jvm") && !text.contains("java_major"),
                        script.getFileName() + " chooses a JDK itself");
                if (text.contains("java ") || text.contains("mvn ") || text.contains("JAVA_HOME")) {
                    assertTrue(text.contains("jdk.sh"), script.getFileName() + " runs Java without scripts/jdk.sh");
                }
            }
        }
    }
}
