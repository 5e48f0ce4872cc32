package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Builds connector configurations and waits for conditions in tests. */
final class Configs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Configs() {
    }

    static ConnectorConfig source(String kind, Map<String, ?> fields) {
        return of(Direction.SOURCE, kind, fields);
    }

    static ConnectorConfig sink(String kind, Map<String, ?> fields) {
        return of(Direction.SINK, kind, fields);
    }

    private static ConnectorConfig of(Direction direction, String kind, Map<String, ?> fields) {
        var node = JSON.createObjectNode().put("kind", kind);
        node.set("config", JSON.valueToTree(fields));
        return ConnectorConfig.of(direction, node, key -> {
            throw new io.riffle.core.NotFoundException("no secret " + key);
        });
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        var deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
