package io.cachegrid.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonSliceTest {

    private static JsonSlice parse(String text) {
        return JsonSlice.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "12.5e-3", "1E+9", "\"\"", "\"\\u00e9\\n\\/\"", "true", "false", "null",
            " [ ] ", "{ }", "[1,[2,[3]]]", "{\"a\":{\"b\":[true,null]}}", "\"😀 日本\""})
    void acceptsValidJson(String text) {
        assertArrayEquals(text.strip().getBytes(StandardCharsets.UTF_8), parse(text).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "1e", "+1", "tru", "nul",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12G4\"", "{a:1}", "{\"a\" 1}", "[1 2]", "1 2", "NaN",
            "Infinity", "'single'", "\"tab\there\""})
    void refusesMalformedJson(String text) {
        assertThrows(MalformedJsonException.class, () -> parse(text));
    }

    @Test
    void refusesInvalidUtf8AndSurrogatesInStrings() {
        byte[][] bad = {
                {'"', (byte) 0xC3, '"'},                          // truncated 2-byte sequence
                {'"', (byte) 0xC0, (byte) 0x80, '"'},             // overlong NUL
                {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // UTF-16 surrogate encoded in UTF-8
                {'"', (byte) 0xFF, '"'},
                {(byte) 0xFF}};
        for (byte[] text : bad) {
            assertThrows(MalformedJsonException.class, () -> JsonSlice.parse(text));
        }
    }

    @Test
    void refusesNestingBeyondTheLimit() {
        String deep = "[".repeat(JsonSlice.MAX_DEPTH + 1) + "]".repeat(JsonSlice.MAX_DEPTH + 1);
        assertThrows(MalformedJsonException.class, () -> parse(deep));
        String ok = "[".repeat(JsonSlice.MAX_DEPTH) + "]".repeat(JsonSlice.MAX_DEPTH);
        assertEquals(JsonSlice.Kind.ARRAY, parse(ok).kind());
    }

    @Test
    void membersKeepExactValueTextAndDecodeNames() {
        Map<String, JsonSlice> members = parse("{ \"k\\u00e9y\" : { \"x\" :  1.50 } , \"n\":null, \"k\u00e9y\": 2 }")
                .members();
        assertEquals(List.of("kéy", "n"), List.copyOf(members.keySet()));
        assertEquals("2", members.get("kéy").toString()); // a repeated name keeps its last value
        assertEquals(JsonSlice.Kind.NULL, members.get("n").kind());
        assertEquals("{ \"x\" :  1.50 }", parse("{\"a\":{ \"x\" :  1.50 }}").members().get("a").toString());
    }

    @Test
    void elementsAndScalars() {
        List<JsonSlice> elements = parse("[\"a\\\"b\", 2.5, {\"c\": []}]").elements();
        assertEquals("a\"b", elements.get(0).asString());
        assertEquals(new java.math.BigDecimal("2.5"), elements.get(1).asNumber());
        assertEquals("{\"c\": []}", elements.get(2).toString());
    }
}
