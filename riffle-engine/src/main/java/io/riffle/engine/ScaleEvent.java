package io.riffle.engine;

import java.time.Instant;

/** One change of a pipeline's runner count: when, from how many to how many, and why. */
public record ScaleEvent(Instant at, int from, int to, String reason) {
}
