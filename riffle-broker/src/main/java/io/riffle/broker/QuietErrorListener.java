package io.riffle.broker;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends jnats's error callbacks to SLF4J instead of standard error. */
final class QuietErrorListener implements ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(QuietErrorListener.class);

    @Override
    public void errorOccurred(Connection conn, String error) {
        LOG.warn("NATS: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.debug("NATS: {}", exp.toString());
    }
}
