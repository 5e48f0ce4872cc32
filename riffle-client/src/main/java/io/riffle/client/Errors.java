package io.riffle.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** Turns an error answer into the matching {@link RiffleClientException}: the one place statuses are mapped. */
final class Errors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RAW = 200;

    private Errors() {
    }

    static RiffleClientException of(int status, byte[] body, String retryAfter, String what) {
        var message = message(status, body, what);
        return switch (status) {
            case 401 -> new RiffleClientException.Unauthorized(message);
            case 404 -> new RiffleClientException.NotFound(message);
            case 425 -> new RiffleClientException.TooEarly(message);
            case 429 -> new RiffleClientException.TooManyRequests(message, seconds(retryAfter));
            default -> new RiffleClientException(status, message);
        };
    }

    /** The server's {@code detail} (or GlassFlow's {@code msg}); else a short excerpt of the body; else the status. */
    static String message(int status, byte[] body, String what) {
        if (body != null && body.length > 0) {
            try {
                var node = JSON.readTree(body);
                for (var field : new String[] {"detail", "msg", "message"}) {
                    var v = node == null ? null : node.get(field);
                    if (v != null && v.isTextual() && !v.asText().isBlank()) {
                        return v.asText();
                    }
                }
            } catch (java.io.IOException notJson) {
                // fall through to the raw text: a proxy's HTML error page, for instance
            }
            var text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                return what + " failed with HTTP " + status + ": "
                    + (text.length() > MAX_RAW ? text.substring(0, MAX_RAW) + "..." : text);
            }
        }
        return what + " failed with HTTP " + status;
    }

    static int seconds(String retryAfter) {
        if (retryAfter == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
