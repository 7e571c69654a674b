package io.cachegrid.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Converts between plain Java values and JSON-P values, for the typed helpers of the clients.
 * <p>To JSON: {@code null}, {@link JsonValue} (unchanged), {@link String}, {@link Boolean}, any {@link Number},
 * {@link Map} (keys by {@code String.valueOf}) and {@link Iterable}, nested freely.
 * <p>From JSON: a string to {@link String}; a number to {@link Long} when integral and in range, {@link BigInteger}
 * when integral and larger, else {@link Double}; true/false to {@link Boolean}; an object to a {@link LinkedHashMap};
 * an array to an {@link ArrayList}; null to {@code null}.
 */
public final class JsonValues {
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonValues() {
    }

    /** The JSON-P value for a plain Java value; throws {@link IllegalArgumentException} for other types. */
    public static JsonValue toJson(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue json -> json;
            case String text -> JSON.createValue(text);
            case Boolean flag -> flag ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer n -> JSON.createValue(n);
            case Long n -> JSON.createValue(n);
            case Short n -> JSON.createValue(n.intValue());
            case Byte n -> JSON.createValue(n.intValue());
            case Double n -> JSON.createValue(n);
            case Float n -> JSON.createValue(n.doubleValue());
            case BigDecimal n -> JSON.createValue(n);
            case BigInteger n -> JSON.createValue(n);
            case Number n -> JSON.createValue(new BigDecimal(n.toString()));
            case Map<?, ?> map -> object(map);
            case Iterable<?> items -> array(items);
            default -> throw new IllegalArgumentException("cannot send a " + value.getClass().getName()
                    + " as JSON: use String, Number, Boolean, Map, List or a jakarta.json.JsonValue");
        };
    }

    /** The plain Java value for a JSON-P value (see the class comment for the mapping). */
    public static Object toJava(JsonValue value) {
        return switch (value) {
            case JsonString text -> text.getString();
            case JsonNumber number -> number(number);
            case JsonObject object -> map(object);
            case JsonArray array -> list(array);
            default -> switch (value.getValueType()) {
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                default -> null;
            };
        };
    }

    /**
     * The JSON value as {@code type}: {@link JsonValue} and its subtypes as they are, {@link Object} as
     * {@link #toJava(JsonValue)}, {@link String}, {@link Boolean}, {@link Map}, {@link List}, {@link Long},
     * {@link Integer}, {@link Double}, {@link BigDecimal}, {@link BigInteger} and {@link Number} from the matching JSON
     * type. Returns {@code null} for JSON null; throws {@link IllegalArgumentException} when the types do not match.
     */
    public static <T> T as(JsonValue value, Class<T> type) {
        if (JsonValue.class.isAssignableFrom(type) && type.isInstance(value)) {
            return type.cast(value);
        }
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        Object converted = value instanceof JsonNumber number ? numberAs(number, type) : toJava(value);
        if (!type.isInstance(converted)) {
            throw new IllegalArgumentException("cached value is JSON " + value.getValueType()
                    + ", not " + type.getSimpleName());
        }
        return type.cast(converted);
    }

    private static Object numberAs(JsonNumber number, Class<?> type) {
        if (type == Integer.class) {
            return number.intValueExact();
        }
        if (type == Long.class) {
            return number.longValueExact();
        }
        if (type == Double.class) {
            return number.doubleValue();
        }
        if (type == BigDecimal.class) {
            return number.bigDecimalValue();
        }
        if (type == BigInteger.class) {
            return number.bigIntegerValueExact();
        }
        return number(number);
    }

    private static Object number(JsonNumber number) {
        if (!number.isIntegral()) {
            return number.doubleValue();
        }
        BigInteger integral = number.bigIntegerValue();
        return integral.bitLength() < Long.SIZE ? (Object) integral.longValue() : integral;
    }

    private static JsonObject object(Map<?, ?> map) {
        JsonObjectBuilder builder = JSON.createObjectBuilder();
        map.forEach((key, item) -> builder.add(String.valueOf(key), toJson(item)));
        return builder.build();
    }

    private static JsonArray array(Iterable<?> items) {
        JsonArrayBuilder builder = JSON.createArrayBuilder();
        items.forEach(item -> builder.add(toJson(item)));
        return builder.build();
    }

    private static Map<String, Object> map(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((key, item) -> map.put(key, toJava(item)));
        return map;
    }

    private static List<Object> list(JsonArray array) {
        List<Object> list = new ArrayList<>(array.size());
        array.forEach(item -> list.add(toJava(item)));
        return list;
    }
}
