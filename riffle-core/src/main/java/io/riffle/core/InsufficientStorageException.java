package io.riffle.core;

/**
 * The disk that holds the events is (nearly) full; nothing was stored, retry after {@link #retryAfterSeconds()}
 * once space was freed (507).
 */
public class InsufficientStorageException extends RiffleException {
    private final int retryAfterSeconds;

    public InsufficientStorageException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public InsufficientStorageException(String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
