package io.riffle.server;

import io.riffle.core.InvalidInputException;
import java.time.Duration;

/**
 * Lifetimes of browser sessions.
 *
 * @param idle     a session unused this long ends ({@code RIFFLE_SESSION_IDLE_MINUTES})
 * @param absolute a session ends this long after sign-in, however busy ({@code RIFFLE_SESSION_MAX_HOURS})
 */
public record SessionConfig(Duration idle, Duration absolute) {
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(120);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(24);
    public static final SessionConfig DEFAULTS = new SessionConfig(DEFAULT_IDLE, DEFAULT_ABSOLUTE);

    public SessionConfig {
        if (idle == null || idle.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidInputException("RIFFLE_SESSION_IDLE_MINUTES must be 1 or more; got " + idle);
        }
        if (absolute == null || absolute.compareTo(idle) < 0) {
            throw new InvalidInputException("RIFFLE_SESSION_MAX_HOURS must be at least the idle time ("
                + idle.toMinutes() + " minutes); got " + absolute);
        }
    }
}
