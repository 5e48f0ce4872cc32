package io.riffle.core;

/** A backing service (PostgreSQL, NATS) is unavailable; retry later (503). */
public class UnavailableException extends RiffleException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
