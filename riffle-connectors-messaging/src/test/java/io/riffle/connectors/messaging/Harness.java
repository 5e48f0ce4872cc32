package io.riffle.connectors.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Test helpers: connector configs from maps, polling with a deadline, running a source on a thread. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();

    private Harness() {
    }

    /** {@code {"kind": kind, "config": fields}} read for {@code direction}, secrets unresolved. */
    static ConnectorConfig config(Direction direction, String kind, Map<String, ?> fields) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", kind);
        node.set("config", JSON.valueToTree(fields));
        return ConnectorConfig.of(direction, node, key -> {
            throw new io.riffle.core.NotFoundException("no secret " + key);
        });
    }

    /** Polls {@code condition} every 50 ms until true; fails after {@code timeout} naming {@code what}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Runs {@code source} on a new thread; the future completes when run returns, or with what it threw. */
    static CompletableFuture<Void> run(Source source, Collecting context) {
        var done = new CompletableFuture<Void>();
        Thread.ofPlatform().daemon().name("source-under-test").start(() -> {
            try {
                source.run(context);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** {@code {"n": n}} as UTF-8 JSON. */
    static byte[] event(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code n} of an event made by {@link #event}. */
    static int n(byte[] payload) {
        try {
            return JSON.readTree(payload).get("n").asInt();
        } catch (java.io.IOException e) {
            throw new AssertionError("not an event: " + new String(payload, StandardCharsets.UTF_8), e);
        }
    }
}
