package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event read from a pipeline's output or dead letters, or the result of a test run (GlassFlow's
 * {@code ConsumeOutputEvent}).
 *
 * @param payload      the event as published
 * @param status       {@code Success} or {@code Failed}
 * @param response     what the function returned (for a dead letter: the event that failed)
 * @param errorDetails null unless failed
 * @param stackTrace   null unless failed
 * @param attempts     attempts made before the event became a dead letter; null otherwise
 * @param version      function version of a test run; null otherwise
 */
public record ConsumedEvent(JsonNode payload, EventContext eventContext, String status, JsonNode response,
                            String errorDetails, String stackTrace, Integer attempts, Integer version) {
    /** True when the function failed on it. */
    public boolean failed() {
        return "Failed".equalsIgnoreCase(status);
    }

    /** Where the event came from. */
    public record EventContext(String requestId, String externalId, Instant receiveTime) {
    }
}
