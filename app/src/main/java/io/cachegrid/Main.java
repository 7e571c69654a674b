package io.cachegrid;

import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

/** Starts one CacheGrid node from {@code application.yaml}, {@code CACHEGRID_*} variables and {@code -D} flags. */
public final class Main {

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
        try {
            node = CacheGridServer.start(settings, defaults.get("server"));
        } catch (IllegalStateException e) {
            System.err.println("CacheGrid cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "cachegrid-shutdown"));
        System.getLogger(Main.class.getName()).log(System.Logger.Level.INFO,
                "CacheGrid {0} node {1} listening on {7}://{2}:{3} (policy {4}, max {5} items, {6} MiB); console at"
                        + " /console/; auth: {8}",
                CacheGridServer.VERSION, settings.nodeId(), settings.host(), String.valueOf(node.port()),
                settings.evictionPolicy().configName(), settings.maxSize(), settings.maxMemoryMb(),
                settings.security().tls().isPresent() ? "https" : "http",
                settings.security().authEnabled() ? settings.security().tokens().describe() : "off (no tokens)");
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
