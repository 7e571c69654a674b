package io.cachegrid.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch get's fast paths (a one-pass reader of the common body, an answer written from constants) give exactly
 * what the general reader and writer give: the same keys, the same answer bytes, every case the fast paths leave to
 * the general ones included.
 */
class BatchGetAnswerTest {

    private static final String TIMESTAMP = "\"timestamp\":[0-9.]+";

    @ParameterizedTest(name = "compression threshold {0}")
    @ValueSource(ints = {0, 1024})
    void answersMatchTheGeneralWriterByteForByte(int compressionThreshold) {
        CacheEngine engine = new CacheEngine(new CacheSettings(10_000, 256L << 20, EvictionPolicy.LRU, 0,
                Ticker.system()).withCompressionThreshold(compressionThreshold));
        SplittableRandom random = new SplittableRandom(13);
        List<String> stored = new ArrayList<>();
        List<String> plainAndShort = new ArrayList<>();
        String[] odd = {"caf\u00e9", "quote\"d", "back\\slash", "tab\tkey", "\u65e5\u672c", "del\u007f", "a/b"};
        for (int i = 0; i < 200; i++) {
            String key = i < odd.length ? odd[i] : "key:" + i;
            int length = switch (i % 5) {
                case 0 -> 2000 + random.nextInt(3000);   // some past the splice size, some compressed
                case 1 -> 5000;
                default -> 1 + random.nextInt(100);
            };
            engine.put(key, ("\"" + "v".repeat(length) + "\"").getBytes(StandardCharsets.UTF_8), 0);
            stored.add(key);
            if (i >= odd.length && i % 5 >= 2) {
                plainAndShort.add(key);
            }
        }
        for (int round = 0; round < 300; round++) {
            List<String> keys = new ArrayList<>();
            int n = 1 + random.nextInt(40);
            boolean small = round % 2 == 0;   // half the batches take the fast writer
            for (int i = 0; i < n; i++) {
                List<String> from = small ? plainAndShort : stored;
                int pick = random.nextInt(from.size() + 20);
                keys.add(pick >= from.size() ? "absent:" + pick : from.get(pick));
                if (random.nextInt(6) == 0) {
                    keys.add(keys.get(random.nextInt(keys.size())));   // a repeated key
                }
            }
            if (small) {   // as the service reads them: PlainKeys, whose bytes are copied from the body
                keys = PlainKeysBody.parse(("{\"keys\":[\"" + String.join("\",\"", keys) + "\"]}")
                        .getBytes(StandardCharsets.US_ASCII), 1000);
            }
            BatchService.GetAnswer answer = BatchService.getAnswer(engine, keys);
            Reference expected = reference(engine, keys);
            assertEquals(expected.json.replaceAll(TIMESTAMP, ""), answer.json().toString().replaceAll(TIMESTAMP, ""),
                    "keys " + keys);
            assertEquals(expected.keys, answer.keys());
            assertEquals(expected.found, answer.found());
            assertEquals(answer.json().toByteArray().length, answer.json().length(), "Content-Length");
        }
    }

    @Test
    void thePlainBodyReaderReadsWhatTheGeneralReaderReadsOrLeavesTheBodyToIt() {
        String[] plain = {
            "{\"keys\":[\"a\"]}",
            "{\"keys\":[\"a\",\"b\",\"a\"]}",
            " {\r\n\t\"keys\" : [ \"key:1\" , \"x/y~z{}[]:,\" ] } \n",
            "{\"keys\":[\" spaced key \"]}",
        };
        for (String body : plain) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertEquals(general(bytes), PlainKeysBody.parse(bytes, 1000), body);
        }
        String[] left = {
            "{\"keys\":[]}", "{\"keys\":[\"\"]}", "{\"keys\":[\"a\\\"b\"]}", "{\"keys\":[\"caf\u00e9\"]}",
            "{\"keys\":[\"a\",1]}", "{\"keys\":[\"a\"],\"keys\":[\"b\"]}", "{\"keys\":[\"a\"],\"x\":1}",
            "{\"keys\":[\"a\"]}x", "{\"keys\":[\"a\",]}", "{\"keys\":[\"a\"", "{\"keys\":\"a\"}", "[\"a\"]", "",
            "{\"Keys\":[\"a\"]}", "{\"keys\":[\"tab\tin\"]}", "{\"keys\":[\"del\u007f\"]}",
        };
        assertNull(PlainKeysBody.parse("{\"keys\":[\"a\",\"b\",\"c\"]}".getBytes(StandardCharsets.US_ASCII), 2),
                "more keys than the limit: the general reader names their count");
        for (String body : left) {
            assertNull(PlainKeysBody.parse(body.getBytes(StandardCharsets.UTF_8), 1000), body);
        }
    }

    private static List<String> general(byte[] body) {
        return new ArrayList<>(JsonSlice.parse(body).members().get("keys").elements().stream()
                .map(JsonSlice::asString).toList());
    }

    private record Reference(String json, int keys, long found) {
    }

    /** The answer as the service wrote it before the fast writer: an insertion-ordered map and JsonWriter. */
    private static Reference reference(CacheEngine engine, List<String> keys) {
        Map<String, ValueView> found = new LinkedHashMap<>();
        for (String key : keys) {
            found.put(key, engine.peekView(key));
        }
        JsonWriter out = new JsonWriter().beginObject().name("success").value(true).name("results").beginObject();
        long foundKeys = 0;
        for (Map.Entry<String, ValueView> entry : found.entrySet()) {
            ValueView value = entry.getValue();
            Json.storedValue(out.name(entry.getKey()).beginObject().name("value"), value);
            foundKeys += value == null ? 0 : 1;
            out.name("exists").value(value != null).name("hit").value(value != null).endObject();
        }
        out.endObject().name("requested_keys").value(keys.size()).name("found_keys").value(foundKeys)
                .name("timestamp").value(Json.timestamp()).endObject();
        return new Reference(out.toString(), found.size(), foundKeys);
    }
}
