package io.riffle.connectors.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How the cloud sources turn a message body into a pipeline event. */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    /**
     * A body that is a JSON object becomes the event as it is; any other body (text, a JSON array or number)
     * becomes {@code {"payload": "<body as text>"}}, plus {@code "attributes"} when the message had some.
     */
    static byte[] event(String body, Map<String, String> attributes) {
        var parsed = parse(body);
        if (parsed != null && parsed.isObject()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode wrapped = JSON.createObjectNode().put("payload", body);
        if (attributes != null && !attributes.isEmpty()) {
            var attrs = wrapped.putObject("attributes");
            attributes.forEach(attrs::put);
        }
        return write(wrapped);
    }

    /** {@code text} parsed, or null when it is not JSON. */
    static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }
}
