package io.riffle.connectors.messaging;

import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.UnavailableException;
import java.util.ArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to an MQTT topic filter in a persistent session ({@code clean session} false under a stable
 * {@code client_id}) with manual acknowledgements: the PUBACK of a QoS 1 message is sent only after
 * {@link SourceContext#emit} returned, so the broker redelivers what Riffle did not store.
 */
final class MqttSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);
    static final long POLL_MS = 200;
    private static final int SUBSCRIBE_FAILED = 0x80;

    private final MqttEndpoint endpoint;
    private final String topic;
    private final String clientId;
    private final int qos;
    private final int batchSize;
    private final Inbox<MqttMessage> inbox;
    private volatile MqttAsyncClient client;
    private volatile boolean closed;

    MqttSource(MqttEndpoint endpoint, String topic, String clientId, int qos, int batchSize) {
        this.endpoint = endpoint;
        this.topic = topic;
        this.clientId = clientId;
        this.qos = qos;
        this.batchSize = batchSize;
        this.inbox = new Inbox<>(Math.max(batchSize * 2, 1_000));
    }

    @Override
    public void run(SourceContext context) throws Exception {
        try {
            client = endpoint.connect(clientId, false, Math.max(batchSize, 10), new Callback(), true);
            if (closed) {
                return;
            }
            var granted = client.subscribe(topic, qos);
            granted.waitForCompletion(MqttEndpoint.COMPLETION_TIMEOUT_MS);
            var codes = granted.getGrantedQos();
            if (codes != null && codes.length > 0 && codes[0] == SUBSCRIBE_FAILED) {
                throw new IllegalStateException("mqtt broker at " + endpoint.where() + " refused the subscription"
                    + " to '" + topic + "'");
            }
            context.connected();
            LOG.info("mqtt source {}: subscribed to {} as {} (QoS {})", endpoint.where(), topic, clientId, qos);
            while (context.running() && !closed) {
                var batch = inbox.take(batchSize, POLL_MS);
                if (batch.isEmpty()) {
                    continue;
                }
                var records = new ArrayList<SourceRecord>(batch.size());
                batch.forEach(m -> records.add(new SourceRecord(Payloads.event(m.getPayload()), null)));
                context.emit(records);
                for (var m : batch) {
                    client.messageArrivedComplete(m.getId(), m.getQos());
                }
            }
        } catch (MqttException e) {
            if (closed) {
                return;
            }
            throw Failures.unreachable("mqtt broker", endpoint.where() + " (topic " + topic + ")", e);
        } catch (UnavailableException e) {
            if (closed) {
                return;
            }
            throw e;
        } finally {
            MqttEndpoint.close(client);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            inbox.fail(Failures.unreachable("mqtt broker", endpoint.where() + " (topic " + topic + ")", cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            inbox.put(message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // a source does not publish
        }
    }

    @Override
    public void close() {
        closed = true;
        MqttEndpoint.close(client);
    }
}
