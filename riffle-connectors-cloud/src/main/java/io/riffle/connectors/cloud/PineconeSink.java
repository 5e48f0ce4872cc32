package io.riffle.connectors.cloud;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.UnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Upserts each namespace's vectors in requests of at most {@value #MAX_VECTORS} vectors. HTTP 400 refuses the
 * data, so the batch is halved until the bad results stand alone (dead letters); 401/403/404/429/5xx and
 * network errors retry the batch.
 */
final class PineconeSink implements Sink {
    static final int MAX_VECTORS = 1000;
    private final JsonHttp http;
    private final PineconeSinkFactory.PineconeSettings settings;
    private final URI upsert;

    PineconeSink(JsonHttp http, PineconeSinkFactory.PineconeSettings settings) {
        this.http = http;
        this.settings = settings;
        this.upsert = URI.create(settings.indexHost() + "/vectors/upsert");
    }

    private record Item(SinkRecord record, PineconeVectors.Parsed parsed) {
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws Exception {
        var rejections = new ArrayList<Rejection>();
        var byNamespace = new LinkedHashMap<String, List<Item>>();
        for (var r : records) {
            var parsed = PineconeVectors.of(r.payload());
            if (parsed.problem() != null) {
                rejections.add(new Rejection(r, parsed.problem()));
            } else {
                byNamespace.computeIfAbsent(parsed.namespace(), n -> new ArrayList<>()).add(new Item(r, parsed));
            }
        }
        for (var entry : byNamespace.entrySet()) {
            Bisect.write(entry.getValue(), items -> upsert(entry.getKey(), items),
                (item, reason) -> rejections.add(new Rejection(item.record(), reason)));
        }
        return rejections;
    }

    private void upsert(String namespace, List<Item> items) throws Exception {
        var vectors = Payloads.JSON.createArrayNode();
        for (var item : items) {
            for (var v : item.parsed().vectors()) {
                vectors.add(v);
                if (vectors.size() == MAX_VECTORS) {
                    send(namespace, vectors);
                    vectors = Payloads.JSON.createArrayNode();
                }
            }
        }
        if (!vectors.isEmpty()) {
            send(namespace, vectors);
        }
    }

    private void send(String namespace, com.fasterxml.jackson.databind.node.ArrayNode vectors) throws Exception {
        var response = http.post(upsert, settings.headers(), PineconeVectors.upsertBody(namespace, vectors),
            Duration.ofSeconds(60));
        if (response.ok()) {
            return;
        }
        if (response.status() == 400 || response.status() == 422) {
            throw new RefusedException("Pinecone refused the vectors (HTTP " + response.status() + "): "
                + response.excerpt());
        }
        throw new UnavailableException("Pinecone upsert to " + settings.indexHost() + " answered HTTP "
            + response.status() + ": " + response.excerpt());
    }

    @Override
    public void close() {
        http.close();
    }
}
