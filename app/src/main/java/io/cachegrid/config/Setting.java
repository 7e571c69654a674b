package io.cachegrid.config;

import java.util.List;
import java.util.function.Function;

/**
 * One user-facing setting: the environment variable that sets it, the key it has in {@code application.yaml}
 * and how its text is turned into a value. The whole table lives in {@link CacheGridSettings}, so the mapping
 * from the seed's {@code CACHEGRID_*} names to configuration keys is explicit and tested, not left to the
 * environment-variable naming rules of the config library.
 *
 * @param env      the environment variable, e.g. {@code CACHEGRID_MAX_SIZE}
 * @param key      the configuration key, e.g. {@code cachegrid.max-size}
 * @param accepted a short description of accepted values, printed when a value is refused
 * @param parser   turns text into a value; throws {@link IllegalArgumentException} when the text is not accepted
 * @param aliases  further environment variables read when {@code env} is unset (e.g. Heroku's {@code PORT})
 * @param <T>      the value type
 */
record Setting<T>(String env, String key, String accepted, Function<String, T> parser, List<String> aliases) {

    Setting(String env, String key, String accepted, Function<String, T> parser) {
        this(env, key, accepted, parser, List.of());
    }
}
