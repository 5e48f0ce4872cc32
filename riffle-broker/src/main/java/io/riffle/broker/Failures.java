package io.riffle.broker;

import io.nats.client.JetStreamApiException;
import io.riffle.core.BackpressureException;
import io.riffle.core.NotFoundException;
import io.riffle.core.RiffleException;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Turns JetStream's checked exceptions into Riffle's. */
final class Failures {
    private Failures() {
    }

    static RiffleException wrap(String what, Exception e) {
        if (e instanceof JetStreamApiException api) {
            var text = String.valueOf(api.getErrorDescription()).toLowerCase(Locale.ROOT);
            if (text.contains("insufficient resources") || text.contains("insufficient storage")) {
                return new io.riffle.core.InsufficientStorageException(what + ": NATS JetStream has no storage left ("
                    + api.getErrorDescription() + "); nothing was stored, retry once disk space was freed", 5, e);
            }
            if (text.contains("maximum")) {
                return new BackpressureException(what + ": the stream is full (" + api.getErrorDescription()
                    + "); nothing was stored, retry later", 1, e);
            }
            if (api.getErrorCode() == 404) {
                return new NotFoundException(what + ": stream not found", e);
            }
            return new RiffleException(what + ": " + api.getErrorDescription(), e);
        }
        if (e instanceof io.nats.client.JetStreamStatusException s) {
            return new UnavailableException(what + ": " + s.getMessage(), e);
        }
        if (e instanceof IOException || e instanceof TimeoutException || e instanceof IllegalStateException) {
            return new UnavailableException(what + ": NATS JetStream did not answer (" + e.getMessage() + ")", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new UnavailableException(what + ": interrupted", e);
        }
        return new RiffleException(what + ": " + e.getMessage(), e);
    }
}
