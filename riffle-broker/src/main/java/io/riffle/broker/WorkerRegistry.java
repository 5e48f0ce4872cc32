package io.riffle.broker;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Live engines, as keys of a JetStream key-value bucket whose entries expire after {@link #TTL}: each engine puts
 * its key every {@link #HEARTBEAT}; one that stops putting (killed, cut off) drops out within the TTL, and the
 * others take over its share. No home-made consensus: the bucket is the shared state. Thread-safe.
 */
public final class WorkerRegistry {
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    public static final Duration TTL = Duration.ofSeconds(6);
    private final KeyValue kv;

    WorkerRegistry(Connection nc, BrokerConfig config) throws IOException, JetStreamApiException {
        var bucket = config.prefix() + "_WORKERS";
        var kvm = nc.keyValueManagement();
        if (!kvm.getBucketNames().contains(bucket)) {
            kvm.create(KeyValueConfiguration.builder().name(bucket).ttl(TTL).maxHistoryPerKey(1)
                .storageType(StorageType.Memory).replicas(config.streamReplicas()).build());
        }
        this.kv = nc.keyValue(bucket);
    }

    /** Announces (or renews) a live engine. */
    public void heartbeat(String workerId) {
        try {
            kv.put(workerId, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("announcing worker " + workerId, e);
        }
    }

    /** Removes an engine at once (a clean stop). */
    public void leave(String workerId) {
        try {
            kv.delete(workerId);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("removing worker " + workerId, e);
        }
    }

    /** Ids of the engines alive now, sorted. */
    public List<String> live() {
        try {
            var keys = new ArrayList<>(kv.keys());
            keys.sort(null);
            return keys;
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("listing workers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.wrap("listing workers", e);
        }
    }
}
