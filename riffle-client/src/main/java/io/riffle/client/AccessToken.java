package io.riffle.client;

import java.time.Instant;

/** A pipeline access token: authorises the data plane (publish, consume) of one pipeline. */
public record AccessToken(String id, String name, String token, Instant createdAt) {
}
