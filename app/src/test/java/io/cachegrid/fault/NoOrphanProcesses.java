package io.cachegrid.fault;

import java.util.List;

import io.cachegrid.ChildNode;
import io.cachegrid.Main;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Why: a member JVM left behind (say, frozen by SIGSTOP when a test failed) would hold its port and memory for the
 * rest of the build. After each test this kills any member a {@link ProcessCluster} still knows of; after the
 * class it also checks that this JVM has no {@code io.cachegrid.Main} child process left, and fails naming them.
 */
final class NoOrphanProcesses implements AfterEachCallback, AfterAllCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        killKnown();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        killKnown();
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<ProcessHandle> left = members();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.forEach(ProcessHandle::destroyForcibly);
            Await.pause(200);
            left = members();
        }
        if (!left.isEmpty()) {
            throw new AssertionError("member processes outlived the tests: " + left.stream()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
        }
    }

    private static void killKnown() {
        for (ChildNode member : List.copyOf(ProcessCluster.EVERY_RUNNING)) {
            member.kill();
            ProcessCluster.EVERY_RUNNING.remove(member);
        }
    }

    private static List<ProcessHandle> members() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(Main.class.getName()))
                .toList();
    }
}
