package io.riffle.core;

/** Base of every Riffle exception. Unchecked; adapters wrap checked library exceptions with their cause. */
public class RiffleException extends RuntimeException {
    public RiffleException(String message) {
        super(message);
    }

    public RiffleException(String message, Throwable cause) {
        super(message, cause);
    }
}
