package io.riffle.runtime;

import io.riffle.core.RiffleException;

/** The handler could not be loaded: a syntax or import error, or no callable {@code handler(data, log)}. */
public class FunctionLoadException extends RiffleException {
    private final String traceback;

    public FunctionLoadException(String message, String traceback) {
        super(message);
        this.traceback = traceback == null ? "" : traceback;
    }

    /** The Python traceback, possibly empty. */
    public String traceback() {
        return traceback;
    }
}
