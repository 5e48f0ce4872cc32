package io.riffle.core;

import java.util.Locale;

/** Whether a pipeline's function consumes events. A paused pipeline still accepts events; they wait in its input stream. */
public enum PipelineState {
    RUNNING, PAUSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PipelineState parse(String value) {
        if ("running".equals(value)) {
            return RUNNING;
        }
        if ("paused".equals(value)) {
            return PAUSED;
        }
        throw new InvalidInputException("state must be 'running' or 'paused'; got '" + value + "'");
    }
}
