package io.riffle.broker;

import io.riffle.core.InvalidInputException;
import java.time.Duration;

/**
 * How Riffle uses NATS JetStream.
 *
 * @param url             {@code nats://host:port} (several comma-separated for a cluster), credentials as
 *                        {@code nats://user:password@host:port} or {@code nats://token@host:port}
 * @param prefix          stream-name prefix ({@code RIFFLE}); subjects use it lower-cased
 * @param streamReplicas  JetStream replicas of every stream (1, or 3 on a cluster)
 * @param maxInputBytes   limit of one pipeline's input stream; when reached, publish is refused (never dropped)
 * @param maxOutputBytes  limit of one pipeline's output and failed streams; when reached, processing waits
 * @param maxAge          how long events are kept in the streams
 * @param dedupeWindow    how long message ids are remembered (idempotent publish, no duplicate results)
 * @param ackWait         how long a runner may hold an event without acking before it is redelivered
 */
public record BrokerConfig(String url, String prefix, int streamReplicas, long maxInputBytes, long maxOutputBytes,
                           Duration maxAge, Duration dedupeWindow, Duration ackWait) {
    public static final String DEFAULT_PREFIX = "RIFFLE";
    public static final long DEFAULT_MAX_STREAM_BYTES = 1L << 30;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofMinutes(20);
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

    public BrokerConfig {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("RIFFLE_NATS_URL must be set, e.g. nats://127.0.0.1:4222");
        }
        if (prefix == null || !prefix.matches("[A-Za-z][A-Za-z0-9_]{0,31}")) {
            throw new InvalidInputException("stream prefix must be letters, digits or _; got '" + prefix + "'");
        }
        if (streamReplicas < 1 || streamReplicas > 5) {
            throw new InvalidInputException("RIFFLE_NATS_REPLICAS must be between 1 and 5; got " + streamReplicas);
        }
        if (maxInputBytes < 1024 || maxOutputBytes < 1024) {
            throw new InvalidInputException("stream byte limits must be at least 1024");
        }
    }

    /** The URL without user names, passwords or tokens, for messages and logs. */
    public String redactedUrl() {
        return url.replaceAll("(?<=://)[^/@,]+@", "***@");
    }

    /** Defaults for everything but the URL. */
    public static BrokerConfig of(String url) {
        return new BrokerConfig(url, DEFAULT_PREFIX, 1, DEFAULT_MAX_STREAM_BYTES, DEFAULT_MAX_STREAM_BYTES,
            DEFAULT_MAX_AGE, DEFAULT_DEDUPE_WINDOW, DEFAULT_ACK_WAIT);
    }

    public BrokerConfig withPrefix(String value) {
        return new BrokerConfig(url, value, streamReplicas, maxInputBytes, maxOutputBytes, maxAge, dedupeWindow,
            ackWait);
    }

    public BrokerConfig withMaxInputBytes(long value) {
        return new BrokerConfig(url, prefix, streamReplicas, value, maxOutputBytes, maxAge, dedupeWindow, ackWait);
    }

    public BrokerConfig withAckWait(Duration value) {
        return new BrokerConfig(url, prefix, streamReplicas, maxInputBytes, maxOutputBytes, maxAge, dedupeWindow,
            value);
    }
}
