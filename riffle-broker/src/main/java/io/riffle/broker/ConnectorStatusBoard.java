package io.riffle.broker;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of every running connector, as JSON documents in a JetStream key-value bucket
 * ({@code <prefix>_CONNECTORS}, key {@code <pipeline>.<source|sink>}), so that any process can show what an engine
 * elsewhere is doing. The bucket is created on first use. Thread-safe.
 */
public final class ConnectorStatusBoard {
    private static final List<String> DIRECTIONS = List.of("source", "sink");
    private final Connection nc;
    private final BrokerConfig config;
    private volatile KeyValue kv;

    ConnectorStatusBoard(Connection nc, BrokerConfig config) {
        this.nc = nc;
        this.config = config;
    }

    private KeyValue kv() throws IOException, JetStreamApiException {
        var k = kv;
        if (k == null) {
            synchronized (this) {
                if (kv == null) {
                    var bucket = config.prefix() + "_CONNECTORS";
                    var kvm = nc.keyValueManagement();
                    if (!kvm.getBucketNames().contains(bucket)) {
                        kvm.create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1)
                            .storageType(StorageType.File).replicas(config.streamReplicas()).build());
                    }
                    kv = nc.keyValue(bucket);
                }
                k = kv;
            }
        }
        return k;
    }

    /** Replaces the status of one connector ({@code direction}: {@code source} or {@code sink}). */
    public void put(String pipelineId, String direction, byte[] json) {
        try {
            kv().put(pipelineId + "." + direction, json);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("storing the " + direction + " status of pipeline " + pipelineId, e);
        }
    }

    /** Forgets the status of one connector (it was removed). */
    public void delete(String pipelineId, String direction) {
        try {
            kv().delete(pipelineId + "." + direction);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("removing the " + direction + " status of pipeline " + pipelineId, e);
        }
    }

    /** The stored statuses of a pipeline's connectors by direction ({@code source}, {@code sink}); absent ones left out. */
    public Map<String, byte[]> get(String pipelineId) {
        var out = new LinkedHashMap<String, byte[]>();
        try {
            var k = kv();
            for (var d : DIRECTIONS) {
                var entry = k.get(pipelineId + "." + d);
                if (entry != null && entry.getValue() != null && entry.getValue().length > 0) {
                    out.put(d, entry.getValue());
                }
            }
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("reading the connector status of pipeline " + pipelineId, e);
        }
    }
}
