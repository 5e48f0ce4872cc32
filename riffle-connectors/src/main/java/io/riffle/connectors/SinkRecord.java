package io.riffle.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One result to deliver.
 *
 * @param id      stable across redeliveries ({@code <pipeline>:<output sequence>}), usable as an idempotency key
 * @param payload the result as the function returned it, JSON encoded as UTF-8
 */
public record SinkRecord(String id, byte[] payload) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SinkRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload parsed. */
    public JsonNode json() {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("result " + id + " is not JSON", e);
        }
    }
}
