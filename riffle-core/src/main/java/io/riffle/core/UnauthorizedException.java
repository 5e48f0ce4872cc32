package io.riffle.core;

/** Missing, wrong, expired or revoked credential (401). */
public class UnauthorizedException extends RiffleException {
    public UnauthorizedException(String message) {
        super(message);
    }

    public UnauthorizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
