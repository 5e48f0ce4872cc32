package io.riffle.connectors.cloud;

import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;

/** Pulls a subscription; acknowledges a batch only after {@link SourceContext#emit} returned. */
final class PubSubSource implements Source {
    private final JsonHttp http = new JsonHttp();
    private final PubSubApi api;
    private final PubSubSourceFactory.PubSubSettings settings;

    PubSubSource(PubSubSourceFactory.PubSubSettings settings) {
        this.settings = settings;
        this.api = new PubSubApi(http, settings, Duration.ofSeconds(90));
    }

    @Override
    public void run(SourceContext context) throws Exception {
        boolean connected = false;
        while (context.running()) {
            var response = api.pull();
            if (!response.ok()) {
                throw new UnavailableException("google_pubsub pull from " + settings.path() + " answered HTTP "
                    + response.status() + ": " + response.excerpt());
            }
            if (!connected) {
                context.connected();
                connected = true;
            }
            var received = response.json().path("receivedMessages");
            if (!received.isArray() || received.isEmpty()) {
                continue;
            }
            var records = new ArrayList<SourceRecord>(received.size());
            var ackIds = new ArrayList<String>(received.size());
            for (var item : received) {
                records.add(record(item.path("message")));
                ackIds.add(item.path("ackId").asText());
            }
            context.emit(records);
            acknowledge(ackIds);
        }
    }

    /** A Pub/Sub message as an event: its data decoded, wrapped unless it is a JSON object. */
    static SourceRecord record(com.fasterxml.jackson.databind.JsonNode message) {
        var data = new String(Base64.getDecoder().decode(message.path("data").asText("")), StandardCharsets.UTF_8);
        var attributes = new HashMap<String, String>();
        message.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        var id = message.path("messageId").asText(null);
        return new SourceRecord(Payloads.event(data, attributes), id);
    }

    private void acknowledge(List<String> ackIds) throws Exception {
        var response = api.acknowledge(ackIds);
        // An unacknowledged message is delivered again after its ack deadline; its message id dedupes it then.
        if (!response.ok()) {
            throw new UnavailableException("google_pubsub acknowledge on " + settings.path() + " answered HTTP "
                + response.status() + ": " + response.excerpt());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
