package io.riffle.runtime;

/**
 * Receives a function's log entries, each one GlassFlow {@code FunctionLogEntry} JSON object:
 * {@code {"level":"INFO","severity_code":200,"timestamp":"2026-01-01T00:00:00.000Z","payload":{"message":"...",...}}}.
 * Called from the worker's reader threads; implementations must be thread-safe and must not block for long.
 */
@FunctionalInterface
public interface LogSink {
    LogSink DISCARD = entry -> { };

    void accept(byte[] entryJson);
}
