package io.riffle.client;

/** A stored event: its request id, and whether an earlier event with the same idempotency key made it a duplicate. */
public record PublishResult(String requestId, boolean duplicate) {
}
