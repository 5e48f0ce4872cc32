package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One function log line (GlassFlow's {@code FunctionLogEntry}).
 *
 * @param severityCode 100 debug, 200 info, 400 warning, 500 error
 * @param payload      {@code {"message": ..., ...extra}}
 */
public record LogEntry(String level, int severityCode, Instant timestamp, JsonNode payload) {
    /** The payload's {@code message}, or "" when there is none. */
    public String message() {
        return payload == null ? "" : payload.path("message").asText("");
    }
}
