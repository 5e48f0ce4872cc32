package io.riffle.bench;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark events: a small JSON object ({@code seq}, {@code sent} = the bench's {@link System#nanoTime()} at
 * send, and padding to about 128 bytes). A trivial handler returns it as is, so results carry {@code sent} back.
 */
final class Events {
    static final String PAD = "x".repeat(64);

    private Events() {
    }

    static byte[] event(long seq, long sentNanos) {
        return ("{\"seq\":" + seq + ",\"sent\":" + sentNanos + ",\"pad\":\"" + PAD + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The value of an integer field in a flat JSON object, such as a handler's result, without a JSON parser (the
     * drain must not be the bottleneck). Tolerates spaces after the colon, as Python's json.dumps writes them.
     *
     * @return the value, or -1 when the field is absent
     */
    static long longField(byte[] json, String field) {
        var key = ("\"" + field + "\"").getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + key.length <= json.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (json[i + k] != key[k]) {
                    continue outer;
                }
            }
            int j = i + key.length;
            while (j < json.length && (json[j] == ' ' || json[j] == ':')) {
                j++;
            }
            boolean negative = j < json.length && json[j] == '-';
            if (negative) {
                j++;
            }
            long v = 0;
            int digits = 0;
            while (j < json.length && json[j] >= '0' && json[j] <= '9') {
                v = v * 10 + (json[j++] - '0');
                digits++;
            }
            if (digits == 0) {
                return -1;
            }
            return negative ? -v : v;
        }
        return -1;
    }
}
