package io.riffle.core;

import java.time.Instant;
import java.util.Objects;

/** A named group of pipelines; members see it with a {@link Role}. */
public record Space(String id, String name, Instant createdAt) {
    public Space {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
