package io.riffle.connectors.cloud;

import io.riffle.core.RiffleException;

/** The external system refused the data itself (not its availability): retrying the same data cannot succeed. */
final class RefusedException extends RiffleException {
    RefusedException(String message) {
        super(message);
    }
}
