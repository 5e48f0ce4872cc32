package io.riffle.broker;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.core.InvalidInputException;
import io.riffle.core.JsonPointers;
import io.riffle.core.PipelineSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How a pipeline's events enter its input stream: all on one subject (no order promise), or, with ordering by key,
 * on {@code <prefix>.<id>.in.<n>} where {@code n = fnv1a(key) mod partitions}, so that events with the same key share
 * a partition, whose consumer lets one event at a time be in flight. Immutable.
 */
public final class InputRouting {
    /** One subject, no partitions. */
    public static final InputRouting NONE = new InputRouting(0, null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int partitions;
    private final String key;
    private final JsonPointer pointer;

    /**
     * @param partitions 0 for no ordering, else 1..{@link PipelineSettings#MAX_PARTITIONS}
     * @param key        the JSON pointer of the key (with partitions), else null
     */
    public InputRouting(int partitions, String key) {
        if (partitions < 0 || partitions > PipelineSettings.MAX_PARTITIONS || (partitions > 0) != (key != null)) {
            throw new IllegalArgumentException("partitions " + partitions + " with key " + key);
        }
        this.partitions = partitions;
        this.key = key;
        this.pointer = key == null ? null : JsonPointers.require(key);
    }

    /** The routing a pipeline's settings ask for. */
    public static InputRouting of(PipelineSettings s) {
        return s.orderedByKey() ? new InputRouting(s.partitions(), s.orderingKey()) : NONE;
    }

    /** 0 when events are not ordered. */
    public int partitions() {
        return partitions;
    }

    /** The JSON pointer of the ordering key, or null. */
    public String key() {
        return key;
    }

    public boolean partitioned() {
        return partitions > 0;
    }

    /**
     * The partition of an event: FNV-1a of its key's text (a string's value, else the JSON text) modulo the count.
     *
     * @throws InvalidInputException naming the pointer when the event is not JSON or has no value (or null) there
     */
    public int partitionOf(byte[] event) {
        JsonNode value;
        try {
            value = JSON.readTree(event).at(pointer);
        } catch (IOException e) {
            throw new InvalidInputException("the event is not JSON, so it has no ordering_key \"" + key + "\"");
        }
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw new InvalidInputException("the event has no value at ordering_key \"" + key + "\"; every event "
                + "of this pipeline needs one (events are ordered by it)");
        }
        var text = value.isTextual() ? value.asText() : value.toString();
        return Math.floorMod(fnv1a(text.getBytes(StandardCharsets.UTF_8)), partitions);
    }

    static int fnv1a(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRouting r && r.partitions == partitions && Objects.equals(r.key, key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitions, key);
    }

    @Override
    public String toString() {
        return partitioned() ? partitions + " partitions by " + key : "unordered";
    }
}
