package io.riffle.connectors.basic;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.time.Duration;

/**
 * Connection fields shared by the {@code nats} source and sink: {@code url} (required; several separated by commas),
 * and optional {@code user} + {@code password} or {@code token} (each may be a {@code secret_ref}).
 */
record NatsSettings(String url, String user, String password, String token) {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    static NatsSettings of(ConnectorConfig config) {
        var url = config.string("url").trim();
        for (var one : url.split(",")) {
            var u = one.trim();
            if (!u.matches("(?i)(nats|tls|ws|wss)://[^\\s/]+(:\\d+)?/?")) {
                throw config.invalid("url", "must look like nats://host:4222; got '" + one + "'");
            }
        }
        var user = config.string("user", null);
        var password = config.string("password", null);
        if ((user == null) != (password == null)) {
            throw config.invalid(user == null ? "user" : "password", "is required with "
                + (user == null ? "password" : "user"));
        }
        return new NatsSettings(url, user, password, config.string("token", null));
    }

    /**
     * A connection that does not reconnect by itself: a lost server fails the connector, which reports it and
     * reconnects with backoff.
     *
     * @throws UnavailableException naming the url when the server cannot be reached
     */
    Connection connect(String name) {
        var b = Options.builder().servers(url.split(",")).connectionName(name).maxReconnects(0)
            .connectionTimeout(CONNECT_TIMEOUT).errorListener(new io.nats.client.ErrorListener() { });
        if (user != null) {
            b.userInfo(user, password);
        }
        if (token != null) {
            b.token(token.toCharArray());
        }
        try {
            return Nats.connect(b.build());
        } catch (IOException e) {
            throw new UnavailableException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while connecting to NATS at " + url, e);
        }
    }

    /** Connects and disconnects, refusing the field at fault. */
    void probe(ConnectorConfig config) {
        try (var nc = connect("riffle-probe")) {
            nc.flush(CONNECT_TIMEOUT);
        } catch (UnavailableException e) {
            var message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            var field = message.toLowerCase(java.util.Locale.ROOT).contains("authoriz") ? (token != null ? "token"
                : "password") : "url";
            throw config.invalid(field, "cannot connect to " + url + ": " + message);
        } catch (java.util.concurrent.TimeoutException e) {
            throw config.invalid("url", "NATS at " + url + " did not answer within " + CONNECT_TIMEOUT.toSeconds()
                + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
