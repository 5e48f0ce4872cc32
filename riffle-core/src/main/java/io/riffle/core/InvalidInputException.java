package io.riffle.core;

/** The caller sent something Riffle cannot accept; the message names what to fix (400/422). */
public class InvalidInputException extends RiffleException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
