package io.cachegrid.client;

/** One server process shared by every test class that only needs a working server; stopped when the JVM exits. */
final class SharedServer {
    private static ServerProcess server;

    private SharedServer() {
    }

    static synchronized ServerProcess get() {
        if (server == null) {
            server = ServerProcess.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::kill));
        }
        return server;
    }
}
