package io.riffle.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Message;
import io.riffle.core.RiffleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Encodes dead-letter envelopes and decodes consumed messages. */
final class EventCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventCodec() {
    }

    /**
     * The dead letter of {@code source}, at most {@code maxBytes}: when the whole would be bigger, the error and
     * traceback are cut, and if that is not enough the event itself is left out (named by its size and sequence).
     */
    static byte[] failureEnvelope(InputEvent source, String error, String traceback, long attempts, int maxBytes) {
        byte[] whole = failureEnvelope(source, parseOrText(source.data()), error, traceback, attempts);
        if (whole.length <= maxBytes) {
            return whole;
        }
        String shortError = cut(error, 4096);
        String shortTrace = cut(traceback, 16_384);
        byte[] shorter = failureEnvelope(source, parseOrText(source.data()), shortError, shortTrace, attempts);
        if (shorter.length <= maxBytes) {
            return shorter;
        }
        var note = JSON.getNodeFactory().textNode("[the event of " + source.data().length + " bytes is left out: "
            + "with its error it is over the limit of " + maxBytes + " bytes per message]");
        return failureEnvelope(source, note, shortError, shortTrace, attempts);
    }

    private static String cut(String text, int chars) {
        return text == null || text.length() <= chars ? text : text.substring(0, chars) + "... [cut]";
    }

    private static byte[] failureEnvelope(InputEvent source, JsonNode payload, String error, String traceback,
                                          long attempts) {
        ObjectNode node = JSON.createObjectNode();
        node.set("payload", payload);
        node.put("error_details", error);
        node.put("stack_trace", traceback);
        node.put("attempts", attempts);
        node.put("source_seq", source.sequence());
        node.put("request_id", source.requestId());
        node.put("receive_time", source.receiveTime().toString());
        node.put("external_id", source.externalId());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new RiffleException("cannot encode a dead letter", e);
        }
    }

    static ConsumedEvent decodeFailed(Message msg) {
        return decodeFailed(msg.metaData().streamSequence(), msg.getData(), msg.metaData().timestamp().toInstant());
    }

    static ConsumedEvent decodeFailed(long sequence, byte[] data, Instant stored) {
        try {
            var node = JSON.readTree(data);
            var payload = node.get("payload");
            var receive = text(node, "receive_time");
            return new ConsumedEvent(sequence, payload == null ? null : JSON.writeValueAsBytes(payload), null,
                text(node, "request_id"), receive == null ? stored : Instant.parse(receive),
                text(node, "external_id"), true, text(node, "error_details"), text(node, "stack_trace"),
                node.path("attempts").asInt(1), node.path("stage").asText("function"));
        } catch (IOException e) {
            throw new RiffleException("a dead letter is not valid JSON", e);
        }
    }

    static ConsumedEvent decodeOutput(Message msg, byte[] inputPayload) {
        var h = msg.getHeaders();
        return new ConsumedEvent(msg.metaData().streamSequence(), inputPayload, msg.getData(),
            JetStreamInputFeed.header(h, Headers.REQUEST_ID),
            instant(JetStreamInputFeed.header(h, Headers.RECEIVE_TIME), msg),
            JetStreamInputFeed.header(h, Headers.EXTERNAL_ID), false, null, null, 1, null);
    }

    static JsonNode parseOrText(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(data, StandardCharsets.UTF_8));
        }
    }

    private static String text(JsonNode node, String field) {
        var v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(String text, Message msg) {
        return text == null ? msg.metaData().timestamp().toInstant() : Instant.parse(text);
    }
}
