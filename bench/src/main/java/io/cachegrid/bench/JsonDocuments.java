package io.cachegrid.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Why: a codec's ratio and speed depend on what it compresses, so the compression benchmark needs documents like
 * the ones a cache in front of a database holds, the same in every run. This makes them: a page of API records
 * ({@code {"page":..,"items":[{user with address, tags, orders}, ...]}}) from a seeded random source, with the
 * repetition real JSON has (field names, enumerations, dates, e-mail domains) and the entropy it has too (ids,
 * hex tokens, prices, free text drawn from a vocabulary). Records are added until the next one would pass the
 * target size, so a document is a little under it (at least one record: for a small target, the first that fits).
 */
final class JsonDocuments {
    private static final String[] FIRST = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
        "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoë"};
    private static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller",
        "Davis", "Martínez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Müller"};
    private static final String[] CITIES = {"Springfield", "Riverside", "Fairview", "Madison", "Georgetown",
        "Franklin", "Clinton", "Salem", "Arlington", "Ashland", "Dover", "Oxford", "Lyon", "Köln", "Porto"};
    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "PT", "NL", "CA", "AU"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "corp.example.net", "example.io"};
    private static final String[] TAGS = {"vip", "beta", "newsletter", "churn-risk", "trial", "enterprise",
        "mobile", "web", "partner", "internal"};
    private static final String[] STATUS = {"pending", "paid", "shipped", "delivered", "refunded", "cancelled"};
    private static final String[] WORDS = {"fast", "reliable", "cache", "order", "delivery", "premium", "account",
        "update", "support", "ticket", "review", "great", "product", "service", "again", "would", "recommend",
        "late", "box", "damaged", "refund", "quality", "price", "size", "color", "blue", "red", "small", "large"};

    /** How often a first record that does not fit the target is drawn again before it is taken anyway. */
    private static final int MAX_FIRST_DRAWS = 1000;

    private JsonDocuments() {
    }

    /** A JSON document of at most {@code targetBytes} UTF-8 bytes (one record at least), the same for a seed. */
    static byte[] generate(int targetBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder json = new StringBuilder(targetBytes + 1024);
        json.append("{\"page\":").append(1 + random.nextInt(50)).append(",\"per_page\":100,\"items\":[");
        String tail = "],\"next\":null}";
        int records = 0;
        int bytes = utf8Length(json) + tail.length();
        while (true) {
            StringBuilder record = new StringBuilder(512);
            record(random, records, record);
            // the first record must fit too when it can: draw again (a bounded number of times) while it does not
            for (int draw = 0; records == 0 && draw < MAX_FIRST_DRAWS && bytes + utf8Length(record) > targetBytes;
                 draw++) {
                record.setLength(0);
                record(random, records, record);
            }
            String separator = records == 0 ? "" : ",";
            int withRecord = bytes + separator.length() + utf8Length(record);
            if (records > 0 && withRecord > targetBytes) {
                break;
            }
            json.append(separator).append(record);
            bytes = withRecord;
            records++;
        }
        json.append(tail);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void record(SplittableRandom random, int index, StringBuilder out) {
        String first = pick(random, FIRST);
        String last = pick(random, LAST);
        out.append("{\"id\":").append(100_000 + index * 7 + random.nextInt(7))
           .append(",\"uuid\":\"").append(hex(random, 8)).append('-').append(hex(random, 4)).append('-')
           .append(hex(random, 4)).append('-').append(hex(random, 12)).append('"')
           .append(",\"name\":\"").append(first).append(' ').append(last).append('"')
           .append(",\"email\":\"").append(first.toLowerCase()).append('.').append(last.toLowerCase()).append('@')
           .append(pick(random, DOMAINS)).append('"')
           .append(",\"active\":").append(random.nextInt(4) != 0)
           .append(",\"score\":").append(random.nextInt(10_000) / 100.0)
           .append(",\"created_at\":\"").append(date(random)).append('"')
           .append(",\"address\":{\"street\":\"").append(1 + random.nextInt(999)).append(' ')
           .append(pick(random, LAST)).append(" St\",\"city\":\"").append(pick(random, CITIES))
           .append("\",\"zip\":\"").append(10_000 + random.nextInt(90_000)).append("\",\"country\":\"")
           .append(pick(random, COUNTRIES)).append("\"}");
        out.append(",\"tags\":[");
        int tags = random.nextInt(4);
        for (int i = 0; i < tags; i++) {
            out.append(i == 0 ? "\"" : ",\"").append(pick(random, TAGS)).append('"');
        }
        out.append("],\"orders\":[");
        int orders = random.nextInt(4);
        for (int i = 0; i < orders; i++) {
            out.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(1000 + random.nextInt(9000))
               .append("\",\"qty\":").append(1 + random.nextInt(5)).append(",\"price\":")
               .append(random.nextInt(100_00) / 100.0).append(",\"status\":\"").append(pick(random, STATUS))
               .append("\",\"ordered_at\":\"").append(date(random)).append("\"}");
        }
        out.append("],\"note\":\"");
        int words = random.nextInt(12);
        for (int i = 0; i < words; i++) {
            out.append(i == 0 ? "" : " ").append(pick(random, WORDS));
        }
        out.append("\"}");
    }

    private static String date(SplittableRandom random) {
        return String.format("20%02d-%02d-%02dT%02d:%02d:%02dZ", 20 + random.nextInt(6), 1 + random.nextInt(12),
                             1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60));
    }

    private static String hex(SplittableRandom random, int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    private static String pick(SplittableRandom random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
