package io.riffle.core;

/** The request body is larger than the configured limit (413). */
public class PayloadTooLargeException extends RiffleException {
    public PayloadTooLargeException(String message) {
        super(message);
    }

    public PayloadTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
