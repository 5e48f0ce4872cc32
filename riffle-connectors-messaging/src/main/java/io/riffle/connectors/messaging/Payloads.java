package io.riffle.connectors.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * How a message body becomes a Riffle event: a JSON object is passed through unchanged; any other UTF-8 text
 * (including JSON that is not an object) becomes {@code {"payload": "<text>"}}; bytes that are not UTF-8 become
 * {@code {"payload_base64": "<base64>"}}. Documented in docs/connectors.md.
 */
final class Payloads {
    static final String TEXT_FIELD = "payload";
    static final String BINARY_FIELD = "payload_base64";
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Payloads() {
    }

    /** The event for a message body. */
    static byte[] event(byte[] body) {
        if (isJsonObject(body)) {
            return body;
        }
        var wrapped = JSON.createObjectNode();
        put(wrapped, TEXT_FIELD, BINARY_FIELD, body);
        return bytes(wrapped);
    }

    /**
     * The event for a set of named values (a Redis stream entry): {@code {"name": "<text>", ...}}; a value that is
     * not UTF-8 is written as {@code "<name>_base64": "<base64>"}.
     */
    static byte[] fields(Map<String, byte[]> values) {
        var object = JSON.createObjectNode();
        values.forEach((name, value) -> put(object, name, name + "_base64", value));
        return bytes(object);
    }

    /** The JSON tree of an event's payload, or null when it is not JSON. */
    static JsonNode tree(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void put(ObjectNode object, String textField, String binaryField, byte[] value) {
        var text = utf8(value);
        if (text != null) {
            object.put(textField, text);
        } else {
            object.put(binaryField, Base64.getEncoder().encodeToString(value));
        }
    }

    private static boolean isJsonObject(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i == body.length || body[i] != '{') {
            return false;
        }
        var tree = tree(body);
        return tree != null && tree.isObject();
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an event", e);
        }
    }
}
