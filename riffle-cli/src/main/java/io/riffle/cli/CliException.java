package io.riffle.cli;

/** A problem the user can fix; printed as one line {@code riffle: <message>} with exit code 1. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
