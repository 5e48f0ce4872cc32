package io.riffle.core;

/** A stream is full or a rate limit was reached; nothing was accepted, retry after {@link #retryAfterSeconds()} (429). */
public class BackpressureException extends RiffleException {
    private final int retryAfterSeconds;

    public BackpressureException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public BackpressureException(String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
