package io.cachegrid.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.cachegrid.cluster.ClusterSecret;
import io.cachegrid.cluster.ClusterSettings;
import io.cachegrid.cluster.NodeAddress;
import io.cachegrid.cluster.WriteAcks;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.persist.FsyncPolicy;
import io.cachegrid.persist.PersistenceMode;
import io.cachegrid.persist.PersistenceSettings;
import io.cachegrid.security.AuthTokens;
import io.cachegrid.security.SecuritySettings;
import io.helidon.config.Config;

/**
 * Every setting CacheGrid reads, resolved once at start and validated.
 * <p>
 * Precedence, highest first: a {@code -D} system property named by the yaml key, the environment variable
 * (the seed README's {@code CACHEGRID_*} names), then {@code application.yaml}. A value that cannot be used stops
 * the start with a {@link ConfigurationException} naming the variable and what it accepts.
 */
public record CacheGridSettings(
        String nodeId,
        String host,
        int port,
        long maxSize,
        long maxMemoryMb,
        double cleanupIntervalSeconds,
        EvictionPolicy evictionPolicy,
        long maxValueBytes,
        int maxKeyLength,
        int maxBatchSize,
        int maxTagsPerKey,
        int maxTagLength,
        long maxRequestBytes,
        long maxResponseBytes,
        Level logLevel,
        int maxConnections,
        double idleTimeoutSeconds,
        double readTimeoutSeconds,
        double requestTimeoutSeconds,
        ClusterSettings cluster,
        SecuritySettings security,
        int compressionThresholdBytes,
        PersistenceSettings persistence) {

    static final Setting<String> NODE_ID = new Setting<>("CACHEGRID_NODE_ID", "cachegrid.node-id",
            "a non-empty name", CacheGridSettings::nonEmpty);
    static final Setting<String> HOST = new Setting<>("CACHEGRID_HOST", "cachegrid.host",
            "an address to listen on, e.g. 0.0.0.0 or 127.0.0.1", CacheGridSettings::nonEmpty);
    static final Setting<Integer> PORT = new Setting<>("CACHEGRID_PORT", "cachegrid.port",
            "a port number 0..65535 (0 picks a free port)", text -> (int) range(text, 0, 65_535), List.of("PORT"));
    static final Setting<Long> MAX_SIZE = new Setting<>("CACHEGRID_MAX_SIZE", "cachegrid.max-size",
            "a whole number of items >= 1", text -> range(text, 1, Long.MAX_VALUE));
    static final Setting<Long> MAX_MEMORY_MB = new Setting<>("CACHEGRID_MAX_MEMORY_MB", "cachegrid.max-memory-mb",
            "a whole number of MiB >= 1", text -> range(text, 1, 1L << 30));
    static final Setting<Double> CLEANUP_INTERVAL = new Setting<>("CACHEGRID_CLEANUP_INTERVAL",
            "cachegrid.cleanup-interval", "seconds > 0 (fractions allowed)", CacheGridSettings::positiveSeconds);
    static final Setting<EvictionPolicy> EVICTION_POLICY = new Setting<>("CACHEGRID_EVICTION_POLICY",
            "cachegrid.eviction-policy", "one of lru, lfu, ttl, size, tinylfu", EvictionPolicy::parse);
    static final Setting<Long> MAX_VALUE_BYTES = new Setting<>("CACHEGRID_MAX_VALUE_BYTES",
            "cachegrid.max-value-bytes", "a whole number of bytes >= 1", text -> range(text, 1, Integer.MAX_VALUE - 64));
    static final Setting<Integer> MAX_KEY_LENGTH = new Setting<>("CACHEGRID_MAX_KEY_LENGTH",
            "cachegrid.max-key-length", "a whole number of characters 1..65536", text -> (int) range(text, 1, 65_536));
    static final Setting<Integer> MAX_BATCH_SIZE = new Setting<>("CACHEGRID_MAX_BATCH_SIZE",
            "cachegrid.max-batch-size", "a whole number of keys 1..100000", text -> (int) range(text, 1, 100_000));
    static final Setting<Integer> MAX_TAGS_PER_KEY = new Setting<>("CACHEGRID_MAX_TAGS_PER_KEY",
            "cachegrid.max-tags-per-key", "a whole number of tags 0..255 (0 turns tags off)",
            text -> (int) range(text, 0, 255));
    static final Setting<Integer> MAX_TAG_LENGTH = new Setting<>("CACHEGRID_MAX_TAG_LENGTH",
            "cachegrid.max-tag-length", "a whole number of characters 1..255 (a tag's UTF-8 form may use 255 bytes)",
            text -> (int) range(text, 1, 255));
    static final Setting<Long> MAX_REQUEST_BYTES = new Setting<>("CACHEGRID_MAX_REQUEST_BYTES",
            "cachegrid.max-request-bytes", "a whole number of bytes >= 1024", text -> range(text, 1024, Integer.MAX_VALUE - 64));
    static final Setting<Long> MAX_RESPONSE_BYTES = new Setting<>("CACHEGRID_MAX_RESPONSE_BYTES",
            "cachegrid.max-response-bytes", "auto (a quarter of the JVM heap) or a whole number of bytes >= 65536",
            text -> text.equalsIgnoreCase("auto") ? 0L : range(text, 65_536, Long.MAX_VALUE));
    static final Setting<Level> LOG_LEVEL = new Setting<>("CACHEGRID_LOG_LEVEL", "cachegrid.log-level",
            "one of debug, info, warning, error", CacheGridSettings::logLevel);
    static final Setting<Integer> MAX_CONNECTIONS = new Setting<>("CACHEGRID_MAX_CONNECTIONS",
            "cachegrid.max-connections", "a whole number of connections 1..1000000",
            text -> (int) range(text, 1, 1_000_000));
    static final Setting<Double> IDLE_TIMEOUT = new Setting<>("CACHEGRID_IDLE_TIMEOUT_SECONDS",
            "cachegrid.idle-timeout-seconds", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));
    static final Setting<Double> READ_TIMEOUT = new Setting<>("CACHEGRID_READ_TIMEOUT_SECONDS",
            "cachegrid.read-timeout-seconds", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));
    static final Setting<Double> REQUEST_TIMEOUT = new Setting<>("CACHEGRID_REQUEST_TIMEOUT_SECONDS",
            "cachegrid.request-timeout-seconds", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));
    static final Setting<List<NodeAddress>> PEERS = new Setting<>("CACHEGRID_PEERS", "cachegrid.peers",
            "empty, or a comma-separated list of host:port of all members, e.g. cachegrid-1:8080,cachegrid-2:8080",
            CacheGridSettings::peers);
    static final Setting<String> DISCOVERY_DNS = new Setting<>("CACHEGRID_DISCOVERY_DNS", "cachegrid.discovery-dns",
            "empty, or a DNS name whose addresses are the members, e.g. cachegrid-headless.default.svc.cluster.local",
            CacheGridSettings::dnsName);
    static final Setting<Optional<NodeAddress>> ADVERTISE = new Setting<>("CACHEGRID_ADVERTISE",
            "cachegrid.advertise", "empty (derived), or host:port as peers reach this node",
            text -> text.isEmpty() ? Optional.empty() : Optional.of(NodeAddress.parse(text)));
    static final Setting<Integer> REPLICATION_FACTOR = new Setting<>("CACHEGRID_REPLICATION_FACTOR",
            "cachegrid.replication-factor", "a whole number of copies 1..16", text -> (int) range(text, 1, 16));
    static final Setting<Double> MEMBERSHIP_INTERVAL = new Setting<>("CACHEGRID_MEMBERSHIP_INTERVAL",
            "cachegrid.membership-interval", "seconds > 0 and <= 3600 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 3600));
    static final Setting<Double> TOMBSTONE_SECONDS = new Setting<>("CACHEGRID_TOMBSTONE_SECONDS",
            "cachegrid.tombstone-seconds", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));
    static final Setting<WriteAcks> WRITE_ACKS = new Setting<>("CACHEGRID_WRITE_ACKS", "cachegrid.write-acks",
            "one of one, quorum, all (owner copies that confirm a write before its answer)", WriteAcks::parse);
    static final Setting<Double> REPLICATION_TIMEOUT = new Setting<>("CACHEGRID_REPLICATION_TIMEOUT_SECONDS",
            "cachegrid.replication-timeout-seconds", "seconds >= 0.05 and <= 60 (fractions allowed)",
            text -> atLeast(atMost(positiveSeconds(text), 60), 0.05));
    static final Setting<Integer> CLUSTER_PORT = new Setting<>("CACHEGRID_CLUSTER_PORT", "cachegrid.cluster-port",
            "0 (derived: the HTTP port + 10000, or - 10000 above 55532), or a port 1..65535 that every member uses",
            text -> (int) range(text, 0, 65_535));
    static final Setting<Double> FAILURE_TIMEOUT = new Setting<>("CACHEGRID_FAILURE_TIMEOUT",
            "cachegrid.failure-timeout", "seconds 1..300 (fractions allowed)",
            text -> atLeast(atMost(positiveSeconds(text), 300), 1));
    // a secret is never echoed: the parser takes any text and cluster() refuses a short one without showing it
    static final Setting<String> CLUSTER_SECRET = new Setting<>("CACHEGRID_CLUSTER_SECRET",
            "cachegrid.cluster-secret", "empty (loopback-only clusters), or a secret of at least "
            + ClusterSecret.MIN_LENGTH + " characters shared by all members", text -> text);
    static final Setting<Integer> COMPRESSION_THRESHOLD_BYTES = new Setting<>("CACHEGRID_COMPRESSION_THRESHOLD_BYTES",
            "cachegrid.compression-threshold-bytes",
            "0 (off), or a whole number of bytes 1..2147483647: longer values are stored compressed",
            text -> (int) range(text, 0, Integer.MAX_VALUE));
    static final Setting<Double> ANTI_ENTROPY_INTERVAL = new Setting<>("CACHEGRID_ANTI_ENTROPY_INTERVAL",
            "cachegrid.anti-entropy-interval", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));

    // Security (io.cachegrid.security). Secrets are never echoed: their parsers accept any text, and AuthTokens
    // refuses a bad list without showing it.
    static final Setting<String> AUTH_TOKENS = new Setting<>("CACHEGRID_AUTH_TOKENS", "cachegrid.auth-tokens",
            "empty (no authentication), or comma-separated role:token pairs, roles read, write, admin",
            text -> text);
    static final Setting<String> AUTH_TOKEN = new Setting<>("CACHEGRID_AUTH_TOKEN", "cachegrid.auth-token",
            "empty, or one admin token", text -> text);
    static final Setting<Integer> AUTH_FAILURE_LIMIT = new Setting<>("CACHEGRID_AUTH_FAILURE_LIMIT",
            "cachegrid.auth-failure-limit", "failed authentications per client address per minute, 1..1000000",
            text -> (int) range(text, 1, 1_000_000));
    static final Setting<String> TLS_CERT = new Setting<>("CACHEGRID_TLS_CERT", "cachegrid.tls-cert",
            "empty, or the path of a PEM certificate chain", text -> text);
    static final Setting<String> TLS_KEY = new Setting<>("CACHEGRID_TLS_KEY", "cachegrid.tls-key",
            "empty, or the path of a PEM private key", text -> text);
    static final Setting<String> TLS_KEYSTORE = new Setting<>("CACHEGRID_TLS_KEYSTORE", "cachegrid.tls-keystore",
            "empty, or the path of a PKCS#12 keystore", text -> text);
    static final Setting<String> TLS_KEYSTORE_PASSWORD = new Setting<>("CACHEGRID_TLS_KEYSTORE_PASSWORD",
            "cachegrid.tls-keystore-password", "the keystore's password", text -> text);
    static final Setting<String> TLS_TRUST = new Setting<>("CACHEGRID_TLS_TRUST", "cachegrid.tls-trust",
            "empty, or the path of a PEM file of CA certificates cluster peers may be signed by", text -> text);
    static final Setting<List<String>> CORS_ORIGINS = new Setting<>("CACHEGRID_CORS_ORIGINS",
            "cachegrid.cors-origins", "empty (CORS off), or comma-separated origins such as https://app.example.com",
            SecuritySettings::corsOrigins);

    // Persistence (io.cachegrid.persist; off unless CACHEGRID_PERSISTENCE is set)
    static final Setting<PersistenceMode> PERSISTENCE = new Setting<>("CACHEGRID_PERSISTENCE",
            "cachegrid.persistence", "one of off, log, snapshot, both", PersistenceMode::parse);
    static final Setting<String> DATA_DIR = new Setting<>("CACHEGRID_DATA_DIR", "cachegrid.data-dir",
            "a directory path for the log and snapshots (created if missing)", CacheGridSettings::nonEmpty);
    static final Setting<FsyncPolicy> FSYNC = new Setting<>("CACHEGRID_FSYNC", "cachegrid.fsync",
            "one of always, everysec, no", FsyncPolicy::parse);
    static final Setting<Double> SNAPSHOT_INTERVAL = new Setting<>("CACHEGRID_SNAPSHOT_INTERVAL",
            "cachegrid.snapshot-interval", "seconds > 0 and <= 86400 (fractions allowed)",
            text -> atMost(positiveSeconds(text), 86_400));

    /** A DNS name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
    private static final String DNS_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)" + DNS_LABEL + "(\\." + DNS_LABEL + ")*\\.?");

    /** {@code CACHEGRID_MAX_RESPONSE_BYTES=auto}: this share of the JVM heap for response bytes in flight. */
    static final double RESPONSE_HEAP_SHARE = 0.25;

    /** What one GET answer adds to its value: the key (up to 6 bytes a char escaped) and the envelope. */
    private static final long GET_ENVELOPE_BYTES = 1024;

    /** Share of the JVM heap the cache may fill; the rest serves requests (bodies up to the value limit). */
    static final double HEAP_SHARE = 0.8;

    /** The table an operator can set; documented in the README, kept in sync by a test. */
    public static final List<Setting<?>> ALL = List.of(NODE_ID, HOST, PORT, MAX_SIZE, MAX_MEMORY_MB, CLEANUP_INTERVAL,
            EVICTION_POLICY, MAX_VALUE_BYTES, MAX_KEY_LENGTH, MAX_BATCH_SIZE, MAX_TAGS_PER_KEY, MAX_TAG_LENGTH,
            MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, COMPRESSION_THRESHOLD_BYTES,
            LOG_LEVEL, MAX_CONNECTIONS, IDLE_TIMEOUT, READ_TIMEOUT, REQUEST_TIMEOUT,
            PEERS, DISCOVERY_DNS, ADVERTISE, REPLICATION_FACTOR,
            MEMBERSHIP_INTERVAL, TOMBSTONE_SECONDS, WRITE_ACKS, REPLICATION_TIMEOUT, CLUSTER_PORT, FAILURE_TIMEOUT,
            CLUSTER_SECRET, ANTI_ENTROPY_INTERVAL,
            AUTH_TOKENS, AUTH_TOKEN, AUTH_FAILURE_LIMIT, TLS_CERT, TLS_KEY, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD,
            TLS_TRUST, CORS_ORIGINS,
            PERSISTENCE, DATA_DIR, FSYNC, SNAPSHOT_INTERVAL);

    /** Names of every environment variable read, aliases included. */
    public static List<String> environmentNames() {
        return ALL.stream().flatMap(s -> Resolver.names(s).stream()).toList();
    }

    /**
     * Resolves every setting.
     *
     * @param defaults   the configuration holding the defaults ({@code application.yaml})
     * @param env        the process environment (maps, so tests can pass their own)
     * @param properties the system properties
     * @return validated settings
     * @throws ConfigurationException naming the first setting that cannot be used
     */
    public static CacheGridSettings resolve(Config defaults, Map<String, String> env, Map<String, String> properties) {
        return resolve(defaults, env, properties, Runtime.getRuntime().maxMemory());
    }

    /**
     * As {@link #resolve(Config, Map, Map)}, checking the memory limit against a given heap size.
     *
     * @param maxHeapBytes the JVM's maximum heap; the cache may take at most {@link #HEAP_SHARE} of it, the rest
     *                     is for requests in flight, so cache contents can never exhaust the heap
     */
    static CacheGridSettings resolve(Config defaults, Map<String, String> env, Map<String, String> properties,
                                     long maxHeapBytes) {
        Resolver r = new Resolver(defaults, env, properties);
        CacheGridSettings settings = new CacheGridSettings(
                r.get(NODE_ID), r.get(HOST), r.get(PORT), r.get(MAX_SIZE), r.get(MAX_MEMORY_MB),
                r.get(CLEANUP_INTERVAL), r.get(EVICTION_POLICY), r.get(MAX_VALUE_BYTES), r.get(MAX_KEY_LENGTH),
                r.get(MAX_BATCH_SIZE), r.get(MAX_TAGS_PER_KEY), r.get(MAX_TAG_LENGTH), r.get(MAX_REQUEST_BYTES), 0, r.get(LOG_LEVEL), r.get(MAX_CONNECTIONS),
                r.get(IDLE_TIMEOUT), r.get(READ_TIMEOUT), r.get(REQUEST_TIMEOUT), cluster(r), security(r),
                r.get(COMPRESSION_THRESHOLD_BYTES), persistence(r));
        settings = settings.withMaxResponseBytes(responseBytes(r.get(MAX_RESPONSE_BYTES), settings, maxHeapBytes));
        if (settings.maxValueBytes() > settings.maxMemoryBytes()) {
            throw new ConfigurationException(MAX_VALUE_BYTES.env() + "=" + settings.maxValueBytes()
                    + " is larger than the cache itself (" + MAX_MEMORY_MB.env() + "=" + settings.maxMemoryMb()
                    + "); accepted: at most the memory limit in bytes");
        }
        if (settings.cluster().enabled() && settings.security().authEnabled()
                && settings.security().tokens().peerAuthorization().isEmpty()) {
            throw new ConfigurationException(AUTH_TOKENS.env() + " has no admin token, which cluster members present"
                    + " to each other; accepted: with clustering on, at least one admin:token pair (or "
                    + AUTH_TOKEN.env() + ")");
        }
        long heapMb = maxHeapBytes / (1024 * 1024);
        if (settings.maxMemoryBytes() > HEAP_SHARE * maxHeapBytes) {
            throw new ConfigurationException(MAX_MEMORY_MB.env() + "=" + settings.maxMemoryMb()
                    + " does not fit the JVM heap of " + heapMb + " MiB; accepted: at most "
                    + (long) (HEAP_SHARE * heapMb) + " (80% of the heap), or give the JVM more with -Xmx or"
                    + " -XX:MaxRAMPercentage in JAVA_OPTS");
        }
        return settings;
    }

    /**
     * The response budget: as set, or {@code auto} ({@link #RESPONSE_HEAP_SHARE} of the heap). Either way it must
     * hold the largest single GET answer, or a stored value could never be read back: an explicit value below that
     * stops the start, {@code auto} is raised to it.
     */
    private static long responseBytes(long configured, CacheGridSettings settings, long maxHeapBytes) {
        long largestGet = settings.maxValueBytes() + 6L * settings.maxKeyLength() + GET_ENVELOPE_BYTES;
        if (configured == 0) {
            return Math.max((long) (RESPONSE_HEAP_SHARE * maxHeapBytes), largestGet);
        }
        if (configured < largestGet) {
            throw new ConfigurationException(MAX_RESPONSE_BYTES.env() + "=" + configured + " cannot hold one answer"
                    + " with the largest value (" + MAX_VALUE_BYTES.env() + "=" + settings.maxValueBytes()
                    + "); accepted: auto, or at least " + largestGet + " bytes");
        }
        return configured;
    }

    private CacheGridSettings withMaxResponseBytes(long bytes) {
        return new CacheGridSettings(nodeId, host, port, maxSize, maxMemoryMb, cleanupIntervalSeconds, evictionPolicy,
                maxValueBytes, maxKeyLength, maxBatchSize, maxTagsPerKey, maxTagLength, maxRequestBytes, bytes, logLevel, maxConnections,
                idleTimeoutSeconds, readTimeoutSeconds, requestTimeoutSeconds, cluster, security,
                compressionThresholdBytes, persistence);
    }

    private static SecuritySettings security(Resolver r) {
        return SecuritySettings.create(AuthTokens.parse(r.get(AUTH_TOKENS), r.get(AUTH_TOKEN)),
                r.get(AUTH_FAILURE_LIMIT), r.get(TLS_CERT), r.get(TLS_KEY), r.get(TLS_KEYSTORE),
                r.get(TLS_KEYSTORE_PASSWORD), r.get(TLS_TRUST), r.get(CORS_ORIGINS));
    }

    private static PersistenceSettings persistence(Resolver r) {
        return new PersistenceSettings(r.get(PERSISTENCE), java.nio.file.Path.of(r.get(DATA_DIR)), r.get(FSYNC),
                r.get(SNAPSHOT_INTERVAL));
    }

    private static ClusterSettings cluster(Resolver r) {
        List<NodeAddress> peers = r.get(PEERS);
        String dns = r.get(DISCOVERY_DNS);
        if (!peers.isEmpty() && !dns.isEmpty()) {
            throw new ConfigurationException(PEERS.env() + " and " + DISCOVERY_DNS.env() + " are both set; accepted:"
                    + " one of them (a static member list or DNS discovery), not both");
        }
        String secretText = r.get(CLUSTER_SECRET);
        if (!secretText.isEmpty() && secretText.length() < ClusterSecret.MIN_LENGTH) {
            throw new ConfigurationException(CLUSTER_SECRET.env() + " is too short (its value is not shown);"
                    + " accepted: " + CLUSTER_SECRET.accepted());
        }
        Optional<ClusterSecret> secret = secretText.isEmpty() ? Optional.empty()
                : Optional.of(ClusterSecret.of(secretText));
        ClusterSettings settings = new ClusterSettings(peers, dns, r.get(ADVERTISE), r.get(REPLICATION_FACTOR),
                r.get(MEMBERSHIP_INTERVAL), r.get(TOMBSTONE_SECONDS), r.get(WRITE_ACKS), r.get(REPLICATION_TIMEOUT),
                r.get(CLUSTER_PORT), r.get(FAILURE_TIMEOUT), secret, r.get(ANTI_ENTROPY_INTERVAL));
        if (settings.enabled() && !settings.loopbackOnly() && settings.secret().isEmpty()) {
            throw new ConfigurationException(CLUSTER_SECRET.env() + " is not set, and members are reached over the"
                    + " network (" + (dns.isEmpty() ? PEERS.env() + " or " + ADVERTISE.env() + " names a host that is"
                    + " not loopback" : DISCOVERY_DNS.env() + " is set") + "); accepted: " + CLUSTER_SECRET.accepted());
        }
        return settings;
    }

    public long maxMemoryBytes() {
        return maxMemoryMb * 1024 * 1024;
    }

    public Duration idleTimeout() {
        return Duration.ofNanos((long) (idleTimeoutSeconds * 1e9));
    }

    public Duration readTimeout() {
        return Duration.ofNanos((long) (readTimeoutSeconds * 1e9));
    }

    public Duration requestTimeout() {
        return Duration.ofNanos((long) (requestTimeoutSeconds * 1e9));
    }

    /** Reads one setting with the precedence described on the record. */
    private record Resolver(Config defaults, Map<String, String> env, Map<String, String> properties) {

        <T> T get(Setting<T> setting) {
            String source = "-D" + setting.key();
            Optional<String> text = Optional.ofNullable(properties.get(setting.key()));
            if (text.isEmpty()) {
                for (String name : names(setting)) {
                    if (env.containsKey(name)) {
                        source = name;
                        text = Optional.of(env.get(name));
                        break;
                    }
                }
            }
            if (text.isEmpty()) {
                source = setting.key() + " (application.yaml)";
                text = defaults.get(setting.key()).asString().asOptional();
            }
            if (text.isEmpty()) {
                throw new ConfigurationException(setting.env() + " is not set and has no default; accepted: "
                        + setting.accepted());
            }
            try {
                return setting.parser().apply(text.get().trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Invalid " + source + "=\"" + text.get() + "\"; accepted: "
                        + setting.accepted());
            }
        }

        private static List<String> names(Setting<?> setting) {
            return Stream.concat(Stream.of(setting.env()), setting.aliases().stream()).toList();
        }
    }

    private static String nonEmpty(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        return text;
    }

    private static long range(String text, long min, long max) {
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static double positiveSeconds(String text) {
        double value = Double.parseDouble(text);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not positive");
        }
        return value;
    }

    private static double atLeast(double value, double min) {
        if (value < min) {
            throw new IllegalArgumentException("too small");
        }
        return value;
    }

    private static double atMost(double value, double max) {
        if (value > max) {
            throw new IllegalArgumentException("too large");
        }
        return value;
    }

    /** Comma-separated host:port entries; blanks around entries and a trailing comma are tolerated. */
    private static List<NodeAddress> peers(String text) {
        return Stream.of(text.split(",")).map(String::trim).filter(entry -> !entry.isEmpty())
                .map(NodeAddress::parse).distinct().toList();
    }

    private static String dnsName(String text) {
        if (!text.isEmpty() && !DNS_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("not a DNS name");
        }
        return text;
    }

    private static Level logLevel(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "debug", "fine" -> Level.FINE;
            case "trace", "finest" -> Level.FINEST;
            case "info" -> Level.INFO;
            case "warning", "warn" -> Level.WARNING;
            case "error", "critical", "severe" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("unknown level");
        };
    }
}
