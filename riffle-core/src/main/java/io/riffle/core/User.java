package io.riffle.core;

import java.time.Instant;

/** A person or service that signs in. {@code admin} users see and manage every space. */
public record User(String id, String email, String name, boolean admin, Instant createdAt) {
}
