package io.riffle.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of what hostile or broken clients send: random JSON, wrong types for the fields Riffle reads,
 * deep nesting, huge strings, invalid UTF-8, unknown fields, path traversal and injection in path segments and query
 * values, CR/LF and oversized header values. Pure: the same seed gives the same inputs.
 */
final class HostileInputs {
    /** Field names the API reads somewhere, so random bodies reach field validation and not only the parser. */
    static final List<String> FIELDS = List.of("name", "space_id", "transformation_function", "requirements_txt",
        "state", "metadata", "settings", "environments", "value", "value_secret_ref", "key", "email", "password",
        "role", "sequences", "replicas", "min_replicas", "max_replicas", "timeout_ms", "max_retries", "batch_size",
        "memory_limit_mb", "lag_per_replica", "idle_timeout", "cooldown", "type", "source_connector",
        "sink_connector", "kind", "config", "all", "from_sequence", "since", "n", "id", "user_id", "permission",
        "async_concurrency", "expires_at", "file", "requirementsTxt", "version", "token", "__proto__", "$where");
    static final List<String> SEGMENTS = List.of("..", "../..", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e",
        "....//....//", "%252e%252e%252f", "..%5c..%5cwindows", "%00", "a%00b", "%0d%0aX-Injected:%201",
        "%0aSet-Cookie:%20x=1", "%22%3E%3Cscript%3Ealert(1)%3C/script%3E", "'%20OR%20'1'='1", "1;DROP%20TABLE%20x",
        "%C3%28", "%FF%FE", "%ED%A0%80", "%F0%9F%98%80", "-1", "0", "99999999999999999999999", "1e309", "NaN",
        "null", "undefined", "true", "%20", "%09", "~root", "$%7Bjndi:ldap://x/a%7D", "%7B%7B7*7%7D%7D",
        "..;", ";", "%3B", "%2F", "%5C", "CON", "a".repeat(300), "b".repeat(5000));
    static final List<String> QUERY_KEYS = List.of("page_size", "page_token", "severity_code", "start_time",
        "end_time", "space_id", "max", "wait_ms", "include_payload", "limit", "from", "to", "since", "window");
    static final List<String> NASTY_STRINGS = List.of("", " ", "\u0000", "\t\r\n", "\u202e\u0041", "\ud83d\ude00",
        "\"", "\\", "'", "../../etc/passwd", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "%s%s%n",
        "'; DROP TABLE pipelines; --", "\r\nX-Injected: 1", "CON", "2026-13-45T99:99:99Z", "-0", "1e400",
        "-9223372036854775809", "9223372036854775808", "NaN", "Infinity", "paused", "running", "owner", "admin",
        "rfl_pat_" + "x".repeat(40), "def handler(data, log):\n    return data\n", "import os\nos._exit(1)\n");

    private final Random random;

    HostileInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** A path segment that is never a valid id: traversal, injection, encodings, overflow, huge. */
    String segment() {
        return switch (random.nextInt(4)) {
            case 0 -> percentEncode(randomText(1 + random.nextInt(40)));
            case 1 -> pick(SEGMENTS) + pick(SEGMENTS);
            default -> pick(SEGMENTS);
        };
    }

    /** A query string of one to four random parameters (raw, already encoded). */
    String query() {
        var sb = new StringBuilder("?");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('&');
            }
            sb.append(random.nextInt(5) == 0 ? percentEncode(randomText(8)) : pick(QUERY_KEYS)).append('=');
            sb.append(switch (random.nextInt(6)) {
                case 0 -> Long.toString(random.nextLong());
                case 1 -> pick(SEGMENTS);
                case 2 -> percentEncode(pick(NASTY_STRINGS));
                case 3 -> Integer.toString(random.nextInt(2000) - 1000);
                case 4 -> "x".repeat(random.nextInt(3) == 0 ? 9000 : 5);
                default -> percentEncode(randomText(random.nextInt(30)));
            });
        }
        return sb.toString();
    }

    /** A body: random JSON, wrong types for known fields, deep nesting, huge strings, invalid UTF-8, or not JSON. */
    byte[] body() {
        return switch (random.nextInt(12)) {
            case 0 -> deep(10 + random.nextInt(random.nextBoolean() ? 200 : 50_000));
            case 1 -> ("{\"name\":\"" + "x".repeat(random.nextBoolean() ? 70_000 : 1_100_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
            case 2 -> invalidUtf8();
            case 3 -> randomBytes(random.nextInt(200));
            case 4 -> value(0).getBytes(StandardCharsets.UTF_8);
            case 5 -> "[".repeat(random.nextInt(5)).concat(pick(NASTY_STRINGS)).getBytes(StandardCharsets.UTF_8);
            default -> knownFields().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** An object whose keys are fields Riffle reads (and some unknown ones) with values of random types. */
    String knownFields() {
        var sb = new StringBuilder("{");
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            var key = random.nextInt(6) == 0 ? randomText(6) : pick(FIELDS);
            sb.append(quote(key)).append(':').append(value(1));
        }
        return sb.append('}').toString();
    }

    /** A random JSON value; nesting ends by depth 4. */
    String value(int depth) {
        int kind = random.nextInt(depth >= 4 ? 6 : 9);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> Long.toString(random.nextLong());
            case 3 -> random.nextBoolean() ? Double.toString(random.nextDouble() * 1e300) : "-1";
            case 4 -> quote(pick(NASTY_STRINGS));
            case 5 -> quote(randomText(random.nextInt(50)));
            case 6 -> {
                var sb = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(value(depth + 1));
                }
                yield sb.append(']').toString();
            }
            default -> {
                var sb = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    var key = random.nextBoolean() ? pick(FIELDS) : randomText(5);
                    sb.append(i > 0 ? "," : "").append(quote(key)).append(':').append(value(depth + 1));
                }
                yield sb.append('}').toString();
            }
        };
    }

    /** A multipart body with boundary {@code b}: traversal in file names, unknown parts, broken framing. */
    byte[] multipart() {
        var name = pick(List.of("file", "requirementsTxt", "other", "file\"; filename=\"x", ""));
        var filename = pick(List.of("../../../etc/passwd", "handler.py", "a\u0000b.py", "", "x".repeat(5000)));
        var content = random.nextBoolean() ? randomText(random.nextInt(200)) : pick(NASTY_STRINGS);
        var sb = new StringBuilder();
        int parts = random.nextInt(3);
        for (int i = 0; i <= parts; i++) {
            sb.append("--b\r\nContent-Disposition: form-data; name=\"").append(name).append("\"; filename=\"")
                .append(filename).append("\"\r\n\r\n").append(content).append("\r\n");
        }
        if (random.nextBoolean()) {
            sb.append("--b--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Nested arrays and objects {@code levels} deep. */
    byte[] deep(int levels) {
        var sb = new StringBuilder(levels * 6);
        for (int i = 0; i < levels; i++) {
            sb.append(i % 2 == 0 ? "{\"a\":" : "[");
        }
        sb.append("1");
        for (int i = levels - 1; i >= 0; i--) {
            sb.append(i % 2 == 0 ? "}" : "]");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON object whose string values hold byte sequences that are not UTF-8. */
    byte[] invalidUtf8() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("{\"name\":\"".getBytes(StandardCharsets.US_ASCII));
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {0x00}};
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
            out.writeBytes(bad[random.nextInt(bad.length)]);
            out.writeBytes("ok".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\",\"space_id\":\"x\",\"transformation_function\":\"def handler(d, l):\\n    return d\"}"
            .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    byte[] randomBytes(int n) {
        var b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Text from all over Unicode, including controls, surrogate pairs and right-to-left marks. */
    String randomText(int n) {
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int cp = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                case 3 -> 0x1F300 + random.nextInt(0x300);
                default -> 0x21 + random.nextInt(0x5e);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** A header value that is hostile: CR/LF injection, control bytes, huge, or plain junk. */
    byte[] headerValue() {
        return switch (random.nextInt(5)) {
            case 0 -> "x\r\nX-Injected: 1".getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> "x\rX-Injected: 1".getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> "y".repeat(random.nextBoolean() ? 9_000 : 70_000).getBytes(StandardCharsets.ISO_8859_1);
            case 3 -> new byte[] {'a', 0x00, 0x7f, (byte) 0xff, 'b'};
            default -> randomText(20).getBytes(StandardCharsets.UTF_8);
        };
    }

    static String quote(String s) {
        var sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String percentEncode(String s) {
        var sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
