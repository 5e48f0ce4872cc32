package io.riffle.connectors.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.riffle.connectors.ConnectorConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;

/**
 * Where a RabbitMQ connector connects: {@code host}, {@code port}, {@code tls}, {@code username},
 * {@code password}, {@code vhost}. Automatic recovery is off: a lost connection fails the source's run or the
 * sink's write, and the runtime reconnects with backoff.
 */
record RabbitEndpoint(String host, int port, boolean tls, String username, String password, String vhost) {
    static final int DEFAULT_PORT = 5672;
    static final String DEFAULT_USER = "guest";
    static final String DEFAULT_VHOST = "/";
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int HEARTBEAT_SECONDS = 10;

    static RabbitEndpoint of(ConnectorConfig config, boolean withSecrets) {
        var host = config.string("host");
        var port = config.integer("port", DEFAULT_PORT, 1, 65535);
        var tls = config.bool("tls", false);
        var username = Credentials.read(config, "username", DEFAULT_USER, withSecrets);
        var password = Credentials.read(config, "password", DEFAULT_USER, withSecrets);
        var vhost = config.string("vhost", DEFAULT_VHOST);
        return new RabbitEndpoint(host, port, tls, username, password, vhost);
    }

    /** A new connection named {@code name} (shown in the RabbitMQ management UI). */
    Connection connect(String name) throws IOException, TimeoutException {
        var factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MS);
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        if (tls) {
            try {
                factory.useSslProtocol();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("rabbitmq: TLS is not available: " + e.getMessage(), e);
            }
        }
        return factory.newConnection(name);
    }

    /** What a probe checks on a channel once connected (a passive declare of the queue or exchange). */
    @FunctionalInterface
    interface ChannelCheck {
        void check(Channel channel) throws IOException;
    }

    /**
     * Connects (credentials, vhost), then runs {@code check} when it is not null; a failing check is reported
     * on {@code field} as {@code problem}.
     *
     * @throws io.riffle.core.InvalidInputException naming the field at fault
     */
    static void probe(ConnectorConfig config, String field, String problem, ChannelCheck check) {
        var endpoint = of(config, true);
        try (var connection = endpoint.connect("riffle-probe")) {
            if (check != null) {
                try (var channel = connection.createChannel()) {
                    check.check(channel);
                } catch (IOException | ShutdownSignalException e) {
                    throw Failures.probe(config, field, problem, null);
                }
            }
        } catch (PossibleAuthenticationFailureException e) {
            throw Failures.probe(config, "password", "username/password refused by rabbitmq at " + endpoint.where(),
                null);
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            if (Failures.describe(e).contains("vhost")) {
                throw Failures.probe(config, "vhost", "refused by rabbitmq at " + endpoint.where(), e);
            }
            throw Failures.probe(config, "host", "cannot connect to rabbitmq at " + endpoint.where(), e);
        }
    }

    /** {@code host:port}, for messages. */
    String where() {
        return host + ":" + port;
    }
}
