package io.cachegrid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Why: the compression tests need JSON values of every shape and size, the same in every run: compressible
 * documents of records (ASCII and Unicode, with escapes), repetitive arrays, and incompressible text (base64 of
 * random bytes) that a codec cannot shrink. Seeded, so a failure names a value that can be made again.
 */
public final class JsonSamples {
    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "cache", "order", "user", "price",
        "Zoë", "Müller", "東京", "naïve", "emoji 😀", "tab\\t", "quote \\\"q\\\"", "back\\\\slash", "ü\\u00fc"};

    private JsonSamples() {
    }

    /** A JSON document of records of about {@code bytes} UTF-8 bytes (at least one record). */
    public static byte[] document(int bytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder json = new StringBuilder(bytes + 256).append("{\"items\":[");
        int length = json.length() + 2;
        int i = 0;
        do {
            StringBuilder record = new StringBuilder(160);
            if (i > 0) {
                record.append(',');
            }
            record.append("{\"id\":").append(1000 + i).append(",\"name\":\"").append(word(random)).append(' ')
                  .append(word(random)).append("\",\"score\":").append(random.nextInt(10_000) / 100.0)
                  .append(",\"active\":").append(random.nextBoolean()).append(",\"tags\":[\"")
                  .append(word(random)).append("\",\"").append(word(random))
                  .append("\"],\"nested\":{\"n\":null,\"x\":[1,2.5e3,-0.0]}}");
            json.append(record);
            length += utf8(record);
            i++;
        } while (length < bytes);
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string of base64 of random bytes: {@code bytes} long, which no codec shrinks by much. */
    public static byte[] incompressible(int bytes, long seed) {
        byte[] random = new byte[Math.max(0, (bytes - 2) * 3 / 4)];
        new SplittableRandom(seed).nextBytes(random);
        String text = Base64.getEncoder().withoutPadding().encodeToString(random);
        return ("\"" + text.substring(0, Math.min(text.length(), bytes - 2)) + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string of one word repeated, exactly {@code bytes} long (at least 2): the most compressible shape. */
    public static byte[] repetitive(int bytes) {
        StringBuilder json = new StringBuilder(bytes).append('"');
        while (json.length() < bytes - 1) {
            json.append("same-tok ", 0, Math.min(9, bytes - 1 - json.length()));
        }
        return json.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every shape at many sizes, from scalars to {@code maxBytes}: what a round-trip test stores. */
    public static List<byte[]> variety(int maxBytes, long seed) {
        List<byte[]> values = new ArrayList<>();
        for (String scalar : new String[] {"0", "-12", "1.5e300", "true", "false", "null", "\"\"", "\"x\"",
                "\"Zoë 東京 😀 \\u0000 \\ud83d\\ude00\"", "{}", "[]", "[[[]]]", "{\"a\":{\"b\":{\"c\":[]}}}"}) {
            values.add(scalar.getBytes(StandardCharsets.UTF_8));
        }
        for (int size = 16; size <= maxBytes; size = size * 2 + 7) {
            values.add(document(size, seed + size));
            values.add(incompressible(size, seed + size));
            values.add(repetitive(size));
        }
        return values;
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static int utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
