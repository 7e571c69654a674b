package io.cachegrid.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonValuesTest {

    @Test
    void plainJavaValuesBecomeJson() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", "Alice");
        user.put("age", 30);
        user.put("price", 19.99);
        user.put("tags", List.of("a", "b"));
        user.put("admin", true);
        user.put("manager", null);
        assertEquals("{\"name\":\"Alice\",\"age\":30,\"price\":19.99,\"tags\":[\"a\",\"b\"],\"admin\":true,"
                + "\"manager\":null}", JsonValues.toJson(user).toString());
        assertEquals("\"MyApp\"", JsonValues.toJson("MyApp").toString());
        assertSame(JsonValue.NULL, JsonValues.toJson(null));
        assertSame(JsonValue.TRUE, JsonValues.toJson(JsonValue.TRUE));
    }

    @Test
    void jsonBecomesPlainJava() {
        JsonValue json = Json.createReader(new java.io.StringReader(
                "{\"n\":1,\"big\":123456789012345678901234,\"d\":2.5,\"l\":[true,null,\"x\"]}")).readValue();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("n", 1L);
        expected.put("big", new BigInteger("123456789012345678901234"));
        expected.put("d", 2.5);
        expected.put("l", Arrays.asList(true, null, "x"));
        assertEquals(expected, JsonValues.toJava(json));
    }

    @Test
    void typedAccess() {
        JsonValue number = Json.createValue(42);
        assertEquals(42, JsonValues.as(number, Integer.class));
        assertEquals(42L, JsonValues.as(number, Long.class));
        assertEquals(new BigDecimal("42"), JsonValues.as(number, BigDecimal.class));
        assertEquals(42L, JsonValues.as(number, Number.class));
        assertEquals("x", JsonValues.as(Json.createValue("x"), String.class));
        assertEquals(List.of(1L), JsonValues.as(Json.createArrayBuilder().add(1).build(), List.class));
        assertNull(JsonValues.as(JsonValue.NULL, String.class));
        assertThrows(IllegalArgumentException.class, () -> JsonValues.as(number, String.class));
        assertThrows(IllegalArgumentException.class, () -> JsonValues.toJson(new Object()));
    }
}
