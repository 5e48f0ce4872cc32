package io.riffle.connectors.messaging;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Publishes each result to an MQTT topic (QoS 1 by default) and waits until the broker acknowledged every one;
 * at most {@link #WINDOW} publishes are in flight. Reconnects on the next write after a failure.
 */
final class MqttSink implements Sink {
    static final int WINDOW = 500;

    private final MqttEndpoint endpoint;
    private final String topic;
    private final String clientId;
    private final int qos;
    private final boolean retain;
    private MqttAsyncClient client;

    MqttSink(MqttEndpoint endpoint, String topic, String clientId, int qos, boolean retain) {
        this.endpoint = endpoint;
        this.topic = topic;
        this.clientId = clientId;
        this.qos = qos;
        this.retain = retain;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            if (client == null || !client.isConnected()) {
                MqttEndpoint.close(client);
                client = null;
                client = endpoint.connect(clientId, true, WINDOW, null, false);
            }
            var inFlight = new ArrayList<IMqttDeliveryToken>(WINDOW);
            for (var record : records) {
                if (inFlight.size() == WINDOW) {
                    await(inFlight);
                }
                inFlight.add(client.publish(topic, record.payload(), qos, retain));
            }
            await(inFlight);
            return List.of();
        } catch (MqttException e) {
            MqttEndpoint.close(client);
            client = null;
            throw Failures.unreachable("mqtt broker", endpoint.where() + " (topic " + topic + ")", e);
        }
    }

    private static void await(List<IMqttDeliveryToken> tokens) throws MqttException {
        for (var token : tokens) {
            token.waitForCompletion(MqttEndpoint.COMPLETION_TIMEOUT_MS);
        }
        tokens.clear();
    }

    @Override
    public void close() {
        MqttEndpoint.close(client);
        client = null;
    }
}
