package io.riffle.core;

/** The request conflicts with the resource's state (409). */
public class ConflictException extends RiffleException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
