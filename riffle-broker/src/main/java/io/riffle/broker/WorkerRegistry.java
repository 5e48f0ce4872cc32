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
import java.util.Set;

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

    /**
     * A live engine as it announced itself.
     *
     * @param id           its id
     * @param pipelines    the only pipelines it runs (empty: every pipeline)
     * @param fixedRunners runners it runs of each of its pipelines whatever the backlog (0: it autoscales and takes
     *                     a share of every pipeline's desired runners)
     */
    public record Entry(String id, Set<String> pipelines, int fixedRunners) {
        public Entry {
            pipelines = Set.copyOf(pipelines);
        }

        /** True when this engine runs the pipeline. */
        public boolean accepts(String pipelineId) {
            return pipelines.isEmpty() || pipelines.contains(pipelineId);
        }

        /** The registry value: {@code pipelines=<ids or *>;runners=<n>;at=<time>}. */
        String encode() {
            return "pipelines=" + (pipelines.isEmpty() ? "*" : String.join(",", new java.util.TreeSet<>(pipelines)))
                + ";runners=" + fixedRunners + ";at=" + Instant.now();
        }

        /** An entry read back; values of older engines (a bare time) mean every pipeline, autoscaled. */
        static Entry decode(String id, String value) {
            Set<String> pipelines = Set.of();
            int runners = 0;
            for (var part : value.split(";")) {
                if (part.startsWith("pipelines=") && !part.equals("pipelines=*")) {
                    pipelines = Set.of(part.substring("pipelines=".length()).split(","));
                } else if (part.startsWith("runners=")) {
                    try {
                        runners = Integer.parseInt(part.substring("runners=".length()));
                    } catch (NumberFormatException e) {
                        runners = 0;
                    }
                }
            }
            return new Entry(id, pipelines, runners);
        }
    }

    /** Announces (or renews) a live engine that runs every pipeline and autoscales. */
    public void heartbeat(String workerId) {
        heartbeat(new Entry(workerId, Set.of(), 0));
    }

    /** Announces (or renews) a live engine with its pipeline filter and runner mode. */
    public void heartbeat(Entry self) {
        try {
            kv.put(self.id(), self.encode().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("announcing worker " + self.id(), e);
        }
    }

    /** The engines alive now with what they announced, sorted by id. */
    public List<Entry> entries() {
        var out = new ArrayList<Entry>();
        for (var id : live()) {
            try {
                var e = kv.get(id);
                if (e != null && e.getValue() != null) {
                    out.add(Entry.decode(id, new String(e.getValue(), StandardCharsets.UTF_8)));
                }
            } catch (IOException | JetStreamApiException e) {
                throw Failures.wrap("reading worker " + id, e);
            }
        }
        return out;
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
