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
            if (text.contains("maximum") || text.contains("insufficient resources")) {
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
