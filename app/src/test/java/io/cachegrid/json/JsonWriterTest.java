package io.cachegrid.json;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void sharedValuesAreWrittenInPlaceWithoutBeingCopied() throws Exception {
        byte[] big = new byte[JsonWriter.MIN_SPLICE_BYTES + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        big[2] = '"';
        big[big.length - 3] = '"';
        byte[] small = "[1,2]".getBytes(StandardCharsets.UTF_8);
        JsonWriter out = new JsonWriter(8).beginObject()
                .name("a").rawValueShared(big, 2, big.length - 4)
                .name("b").rawValueShared(small, 0, small.length)
                .name("c").rawValueShared(big, 2, big.length - 4)
                .name("d").value(true).endObject();
        String inner = "\"" + "x".repeat(big.length - 6) + "\"";
        String expected = "{\"a\":" + inner + ",\"b\":[1,2],\"c\":" + inner + ",\"d\":true}";
        assertEquals(expected.length(), out.length());
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        out.writeTo(streamed);
        assertEquals(expected, streamed.toString(StandardCharsets.UTF_8));
        assertEquals(expected, new String(out.toByteArray(), StandardCharsets.UTF_8));
        assertEquals(expected, out.toString());
        big[10] = 'y'; // the proof that it was not copied: a change shows (callers must never do this)
        assertEquals('y', out.toByteArray()[5 + 8]); // after {"a":, big[10] is the value's 9th byte
    }

    @Test
    void lateValuesAreMadeOnlyWhenTheDocumentIsWritten() throws Exception {
        byte[] big = ("  \"" + "z".repeat(JsonWriter.MIN_SPLICE_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
        int[] made = new int[2];
        JsonWriter out = new JsonWriter(8).beginArray()
                .rawValueShared(() -> {
                    made[0]++;
                    return big;
                }, 2, big.length - 2)
                .rawValueShared(() -> {
                    made[1]++;
                    return "xx[7]".getBytes(StandardCharsets.UTF_8);
                }, 2, 3)
                .rawValueShared(big, 2, big.length - 2)
                .endArray();
        String inner = new String(big, 2, big.length - 2, StandardCharsets.UTF_8);
        String expected = "[" + inner + ",[7]," + inner + "]";
        assertEquals(0, made[0], "a large late value is not made while the document is built");
        assertEquals(1, made[1], "a short one is made and copied at once");
        assertEquals(expected.length(), out.length(), "its length counts from the start");
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        out.writeTo(streamed);
        assertEquals(expected, streamed.toString(StandardCharsets.UTF_8));
        assertEquals(1, made[0], "made when written");
        assertEquals(expected, new String(out.toByteArray(), StandardCharsets.UTF_8));
        assertEquals(1, made[0], "and only once");
    }

    @Test
    void longsAreWrittenAsLongToStringWritesThem() {
        long[] numbers = {0, 7, -7, 10, 99, 100, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long number : numbers) {
            assertEquals(Long.toString(number), new JsonWriter(1).value(number).toString());
            assertEquals("\"" + number + "\"", new JsonWriter(1).valueAsString(number).toString());
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            long number = random.nextLong() >> random.nextInt(64);
            assertEquals("[" + number + ",\"" + number + "\"]",
                    new JsonWriter(2).beginArray().value(number).valueAsString(number).endArray().toString());
        }
    }

    @Test
    void resetStartsANewDocumentAndForgetsSharedValues() throws Exception {
        JsonWriter writer = new JsonWriter(8);
        byte[] big = new byte[JsonWriter.MIN_SPLICE_BYTES + 2];
        java.util.Arrays.fill(big, (byte) '1');
        writer.beginArray().beginObject().name("a").rawValueShared(big, 0, big.length);
        writer.reset(16);
        assertEquals(0, writer.length());
        assertEquals("{\"b\":[1,2]}", writer.beginObject().name("b").beginArray().value(1).value(2).endArray()
                .endObject().toString());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writer.writeTo(out);
        assertEquals("{\"b\":[1,2]}", out.toString(StandardCharsets.UTF_8));
        // a buffer grown past what is retained is dropped on reset
        writer.reset(0).value("x".repeat(JsonWriter.RETAINED_BYTES * 2));
        assertTrue(writer.bufferIfWhole().length > JsonWriter.RETAINED_BYTES);
        assertTrue(writer.reset(0).bufferIfWhole().length <= JsonWriter.RETAINED_BYTES);
    }

    @Test
    void thousandthsAreWrittenAsTheirDoubleIs() {
        java.util.Random random = new java.util.Random(11);
        long[] edges = {0, 1, 999, 1000, 1001, 9_999_999_999L, 10_000_000_000L, 10_000_000_001L, 10_000_000_010L,
                10_000_000_100L, 1_764_082_627_000L, 1_764_082_627_100L, 1_764_082_627_120L, 1_764_082_627_123L,
                1_764_082_627_003L, 4_102_444_800_000L, 253_402_300_799_999L};
        for (long millis : edges) {
            assertEquals(new JsonWriter().value(millis / 1000.0).toString(),
                    new JsonWriter().valueThousandths(millis).toString(), String.valueOf(millis));
        }
        for (int i = 0; i < 1_000_000; i++) {
            long millis = 1_000_000_000_000L + (long) (random.nextDouble() * 4_000_000_000_000L);
            assertEquals(new JsonWriter().value(millis / 1000.0).toString(),
                    new JsonWriter().valueThousandths(millis).toString(), String.valueOf(millis));
        }
    }
}
