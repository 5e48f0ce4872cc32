package io.riffle.core;

/** The function is still being built; try again later (425). */
public class TooEarlyException extends RiffleException {
    public TooEarlyException(String message) {
        super(message);
    }

    public TooEarlyException(String message, Throwable cause) {
        super(message, cause);
    }
}
