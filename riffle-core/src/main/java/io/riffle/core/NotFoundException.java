package io.riffle.core;

/** The resource does not exist, or the caller may not see it (both answer 404). */
public class NotFoundException extends RiffleException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
