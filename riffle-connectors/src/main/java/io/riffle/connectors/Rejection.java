package io.riffle.connectors;

import java.util.Objects;

/** A record a sink's external system refused for good, and why (kept in the dead letter). */
public record Rejection(SinkRecord record, String reason) {
    public Rejection {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
    }
}
