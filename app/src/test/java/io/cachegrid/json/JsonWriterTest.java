package io.cachegrid.json;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonWriterTest {

    @Test
    void writesNestedDocumentsWithCommasInPlace() {
        String json = new JsonWriter(4).beginObject()
                .name("a").value(1)
                .name("b").beginArray().value("x").value(true).nullValue().beginObject().endObject().endArray()
                .name("c").rawValue("{\"raw\" : [1]}".getBytes(StandardCharsets.UTF_8))
                .name("d").value(0.25)
                .endObject().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\",true,null,{}],\"c\":{\"raw\" : [1]},\"d\":0.25}", json);
    }

    @Test
    void escapesStringsAndKeepsUnicode() {
        String text = "q\"b\\n\nt\tc\u0001 é 😀";
        String json = new JsonWriter().value(text).toString();
        assertEquals("\"q\\\"b\\\\n\\nt\\tc\\u0001 é 😀\"", json);
        assertEquals(text, JsonSlice.parse(json.getBytes(StandardCharsets.UTF_8)).asString());
    }

    @Test
    void writesLoneSurrogatesAsEscapes() {
        assertEquals("\"\\ud800\"", new JsonWriter().value("\ud800").toString());
    }

    @Test
    void doublesArePlainAndNonFiniteIsNull() {
        assertEquals("[1795619116.123,0.96,1.0,null]", new JsonWriter().beginArray().value(1795619116.123)
                .value(0.96).value(1.0).value(Double.NaN).endArray().toString());
    }
}
