package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Where an MQTT connector connects (MQTT 3.1.1): {@code host}, {@code port}, {@code tls}, {@code username},
 * {@code password}. Paho's automatic reconnect is off: a lost connection fails the source's run or the sink's
 * write, and the runtime reconnects with backoff.
 */
record MqttEndpoint(String host, int port, boolean tls, String username, String password) {
    static final int DEFAULT_PORT = 1883;
    static final int CONNECT_TIMEOUT_S = 5;
    static final int KEEP_ALIVE_S = 10;
    static final long COMPLETION_TIMEOUT_MS = 30_000;

    static MqttEndpoint of(ConnectorConfig config, boolean withSecrets) {
        var host = config.string("host");
        var port = config.integer("port", DEFAULT_PORT, 1, 65535);
        var tls = config.bool("tls", false);
        var username = Credentials.read(config, "username", null, withSecrets);
        var password = Credentials.read(config, "password", null, withSecrets);
        return new MqttEndpoint(host, port, tls, username, password);
    }

    /** A connected client; {@code cleanSession} false keeps the broker's session (subscriptions, unacked messages). */
    MqttAsyncClient connect(String clientId, boolean cleanSession, int maxInflight,
                            MqttCallback callback, boolean manualAcks)
        throws MqttException {
        var client = new MqttAsyncClient((tls ? "ssl://" : "tcp://") + host + ":" + port, clientId,
            new MemoryPersistence());
        try {
            client.setManualAcks(manualAcks);
            if (callback != null) {
                client.setCallback(callback);
            }
            var options = new MqttConnectOptions();
            options.setCleanSession(cleanSession);
            options.setConnectionTimeout(CONNECT_TIMEOUT_S);
            options.setKeepAliveInterval(KEEP_ALIVE_S);
            options.setAutomaticReconnect(false);
            options.setMaxInflight(maxInflight);
            if (username != null) {
                options.setUserName(username);
            }
            if (password != null) {
                options.setPassword(password.toCharArray());
            }
            client.connect(options).waitForCompletion(COMPLETION_TIMEOUT_MS);
            return client;
        } catch (MqttException | RuntimeException e) {
            close(client);
            throw e;
        }
    }

    /**
     * Connects with a throwaway client id (never the source's, whose persistent session a clean connect would
     * erase).
     *
     * @throws io.riffle.core.InvalidInputException naming the field at fault
     */
    static void probe(ConnectorConfig config) {
        var endpoint = of(config, true);
        MqttAsyncClient client = null;
        try {
            client = endpoint.connect("riffle-probe-" + UUID.randomUUID(), true, 10, null, false);
        } catch (MqttException e) {
            var code = e.getReasonCode();
            if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
                throw Failures.probe(config, "password", "username/password refused by the MQTT broker at "
                    + endpoint.where(), null);
            }
            throw Failures.probe(config, "host", "cannot connect to the MQTT broker at " + endpoint.where(), e);
        } finally {
            close(client);
        }
    }

    /** Disconnects within a bounded time and releases the client's threads. */
    static void close(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing more to release
        }
    }

    /** {@code host:port}, for messages. */
    String where() {
        return host + ":" + port;
    }
}
