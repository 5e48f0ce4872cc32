package io.riffle.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The JSON form of {@link PipelineSettings}, used by the API, {@code pipeline.yaml} and the store alike:
 * {@code min_replicas, max_replicas, lag_per_replica, cooldown_ms, idle_timeout_ms, timeout_ms, max_retries,
 * batch_size, memory_limit_mb, async_concurrency, ordering, ordering_key, partitions}, plus {@code replicas} as a
 * shortcut for a fixed count (min = max).
 */
public final class SettingsCodec {
    private SettingsCodec() {
    }

    public static ObjectNode write(PipelineSettings s) {
        var o = JsonNodeFactory.instance.objectNode();
        o.put("min_replicas", s.minReplicas());
        o.put("max_replicas", s.maxReplicas());
        o.put("lag_per_replica", s.lagPerReplica());
        o.put("cooldown_ms", s.cooldown().toMillis());
        o.put("idle_timeout_ms", s.idleTimeout().toMillis());
        o.put("timeout_ms", s.eventTimeout().toMillis());
        o.put("max_retries", s.maxRetries());
        o.put("batch_size", s.batchSize());
        o.put("memory_limit_mb", s.memoryLimitMb());
        o.put("async_concurrency", s.asyncConcurrency());
        o.put("ordering", s.ordering().wire());
        if (s.orderingKey() != null) {
            o.put("ordering_key", s.orderingKey());
        } else {
            o.putNull("ordering_key");
        }
        o.put("partitions", s.partitions());
        return o;
    }

    /**
     * Settings from {@code node} on top of {@code base}: absent fields keep the base value.
     *
     * @throws InvalidInputException naming the field when a value is not a whole number or out of range
     */
    public static PipelineSettings read(JsonNode node, PipelineSettings base) {
        if (node == null || node.isNull()) {
            return base;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("settings must be a JSON object");
        }
        int min = integer(node, "min_replicas", base.minReplicas());
        int max = integer(node, "max_replicas", base.maxReplicas());
        if (node.hasNonNull("replicas")) {
            int fixed = integer(node, "replicas", base.maxReplicas());
            min = fixed;
            max = Math.max(1, fixed);
        }
        var ordering = ordering(node, base.ordering());
        return new PipelineSettings(min, max,
            integer(node, "lag_per_replica", base.lagPerReplica()),
            millis(node, "cooldown_ms", base.cooldown()),
            millis(node, "idle_timeout_ms", base.idleTimeout()),
            millis(node, "timeout_ms", base.eventTimeout()),
            integer(node, "max_retries", base.maxRetries()),
            integer(node, "batch_size", base.batchSize()),
            integer(node, "memory_limit_mb", base.memoryLimitMb()),
            integer(node, "async_concurrency", base.asyncConcurrency()),
            ordering, orderingKey(node, ordering, base), integer(node, "partitions", base.partitions()));
    }

    /** {@code ordering: none} clears the key; an absent key keeps the base's. */
    private static String orderingKey(JsonNode node, Ordering ordering, PipelineSettings base) {
        var v = node.get("ordering_key");
        if (v == null || v.isNull()) {
            return ordering == Ordering.NONE ? null : base.orderingKey();
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("settings.ordering_key must be a JSON pointer string such as "
                + "\"/user_id\"; got " + v);
        }
        return v.asText();
    }

    private static Ordering ordering(JsonNode node, Ordering fallback) {
        var v = node.get("ordering");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("settings.ordering must be \"none\" or \"key\"; got " + v);
        }
        return Ordering.parse(v.asText());
    }

    private static int integer(JsonNode node, String field, int fallback) {
        var v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidInputException("settings." + field + " must be a whole number; got " + v);
        }
        return v.asInt();
    }

    private static Duration millis(JsonNode node, String field, Duration fallback) {
        var v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidInputException("settings." + field + " must be a whole number of milliseconds; got "
                + v);
        }
        return Duration.ofMillis(v.asLong());
    }
}
