package io.riffle.connectors;

import java.util.Objects;

/**
 * One event read by a source.
 *
 * @param payload   the event, a JSON object encoded as UTF-8 (a source wraps other data, for example
 *                  {@code {"payload": "<text>"}}, and documents how)
 * @param dedupeId  a stable id of the record in the external system (offset, message id, LSN), so that a record
 *                  emitted twice after a crash is stored once; null when the system has none
 */
public record SourceRecord(byte[] payload, String dedupeId) {
    public SourceRecord {
        Objects.requireNonNull(payload, "payload");
    }
}
