package io.cachegrid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

/** Starts one CacheGrid node from {@code application.yaml}, {@code CACHEGRID_*} variables and {@code -D} flags. */
public final class Main {

    /**
     * When set, the port this node listens on is written to this file once it listens: how a test or script that
     * starts the node with {@code CACHEGRID_PORT=0} (any free port, chosen by the OS) learns which port it got.
     */
    static final String PORT_FILE_VARIABLE = "CACHEGRID_PORT_FILE";

    private static final String HELIDON_SERVER_LOGGER = "io.helidon.webserver.LoomServer";

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config defaults = defaults();
        CacheGridSettings settings;
        try {
            settings = CacheGridSettings.resolve(defaults, System.getenv(), systemProperties());
        } catch (ConfigurationException e) {
            System.err.println("CacheGrid cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        applyLogLevel(settings.logLevel());
        CacheGridServer node;
        // Helidon logs a failed bind as a SEVERE record with a 26-line stack trace before we can say what it means;
        // hold its records while starting: dropped when the start fails (one line below says why), else replayed.
        Logger helidon = Logger.getLogger(HELIDON_SERVER_LOGGER);
        Filter previousFilter = helidon.getFilter();
        List<LogRecord> held = new CopyOnWriteArrayList<>();
        helidon.setFilter(record -> !held.add(record));
        try {
            node = CacheGridServer.start(settings, defaults.get("server"));
        } catch (RuntimeException e) {
            System.err.println("CacheGrid cannot start: " + e.getMessage());
            System.exit(1);
            return;
        } finally {
            helidon.setFilter(previousFilter);
        }
        held.forEach(helidon::log);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "cachegrid-shutdown"));
        writePortFile(System.getenv(PORT_FILE_VARIABLE), node.port());
        System.getLogger(Main.class.getName()).log(System.Logger.Level.INFO,
                "CacheGrid {0} node {1} listening on {7}://{2}:{3} (policy {4}, max {5} items, {6} MiB); console at"
                        + " /console/; auth: {8}",
                CacheGridServer.VERSION, settings.nodeId(), settings.host(), String.valueOf(node.port()),
                settings.evictionPolicy().configName(), settings.maxSize(), settings.maxMemoryMb(),
                settings.security().tls().isPresent() ? "https" : "http",
                settings.security().authEnabled() ? settings.security().tokens().describe() : "off (no tokens)");
    }

    /** Writes the port to a temporary file renamed into place, so a reader never sees a half-written number. */
    private static void writePortFile(String file, int port) {
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(file).toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), ".cachegrid-port", ".tmp");
            Files.writeString(temp, port + "\n");
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.err.println("CacheGrid cannot write " + PORT_FILE_VARIABLE + " " + file + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code application.yaml} alone: environment and system properties are applied by the settings table. */
    public static Config defaults() {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.classpath("application.yaml"))
                .build();
    }

    private static Map<String, String> systemProperties() {
        return System.getProperties().stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, System::getProperty));
    }

    /** CACHEGRID_LOG_LEVEL applies to our loggers and to the console handler that prints them. */
    private static void applyLogLevel(Level level) {
        Logger.getLogger("io.cachegrid").setLevel(level);
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler.getLevel().intValue() > level.intValue()) {
                handler.setLevel(level);
            }
        }
    }
}
