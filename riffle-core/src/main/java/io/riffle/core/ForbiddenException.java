package io.riffle.core;

/** The caller is known and may see the resource but may not do this (403). */
public class ForbiddenException extends RiffleException {
    public ForbiddenException(String message) {
        super(message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
