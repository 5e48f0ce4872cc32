package io.riffle.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.core.InvalidInputException;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** JSON on the wire: one shared mapper, RFC 3339 timestamps, strict parsing of request bodies. */
final class Wire {
    static final ObjectMapper JSON = new ObjectMapper()
        .configure(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature(), true);
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final int MAX_DEPTH = 256;

    private Wire() {
    }

    /** {@code 2026-11-26T10:00:00.123Z}: always UTC, always milliseconds. */
    static String time(Instant instant) {
        if (instant == null) {
            return null;
        }
        var t = instant.truncatedTo(ChronoUnit.MILLIS);
        var text = t.toString();
        return t.getNano() == 0 ? text.replace("Z", ".000Z") : text;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Parses a request body that must be one JSON object. */
    static ObjectNode parseObject(byte[] body, String what) {
        var node = parse(body, what);
        if (!(node instanceof ObjectNode o)) {
            throw new InvalidInputException(what + " must be a JSON object; got " + kind(node));
        }
        return o;
    }

    static JsonNode parse(byte[] body, String what) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(what + " is empty; send a JSON document");
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonNode node = JSON.readValue(p, JsonNode.class);
            if (p.nextToken() != null) {
                throw new InvalidInputException(what + " has trailing data after the JSON document");
            }
            checkDepth(node, 0, what);
            return node;
        } catch (IOException e) {
            throw new InvalidInputException(what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Checks without building a tree that {@code body} is exactly one JSON object (the fast path of publish).
     */
    static void requireObject(byte[] body, String what) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(what + " is empty; send a JSON object");
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            var first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException(what + " must be a JSON object; got " + tokenKind(first));
            }
            int depth = 1;
            JsonToken t;
            while (depth > 0 && (t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (++depth > MAX_DEPTH) {
                        throw new InvalidInputException(what + " nests deeper than " + MAX_DEPTH + " levels");
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
            if (depth != 0 || p.nextToken() != null) {
                throw new InvalidInputException(what + " is not exactly one JSON object");
            }
        } catch (IOException e) {
            throw new InvalidInputException(what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    static JsonNode tree(byte[] json) {
        if (json == null) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void checkDepth(JsonNode node, int depth, String what) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(what + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isContainerNode()) {
            for (var child : node) {
                checkDepth(child, depth + 1, what);
            }
        }
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
            : node.isBoolean() ? "a boolean" : node.isNull() ? "null" : node.getNodeType().toString();
    }

    private static String tokenKind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
