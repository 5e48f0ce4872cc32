package io.riffle.broker;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.PurgeOptions;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/** Creates and deletes the streams and durable consumers of pipelines. */
final class StreamSetup {
    static final int RUNNER_MAX_ACK_PENDING = 20_000;
    private static final int NOT_FOUND = 404;
    private final JetStreamManagement jsm;
    private final BrokerConfig config;
    private final StreamNames names;

    StreamSetup(JetStreamManagement jsm, BrokerConfig config) {
        this.jsm = jsm;
        this.config = config;
        this.names = new StreamNames(config.prefix());
    }

    void ensureLogsStream() throws IOException, JetStreamApiException {
        ensureStream(StreamConfiguration.builder().name(names.logsStream()).subjects(names.logsWildcard())
            .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old)
            .maxAge(config.maxAge()).maxBytes(config.maxOutputBytes()).storageType(StorageType.File)
            .replicas(config.streamReplicas()).build());
    }

    /**
     * Input: limits retention (replayable). Output and failed: interest retention (gone once consumed). None of the
     * three has a JetStream byte limit: nats-server reserves a stream's whole limit up front (three 1 GiB streams
     * per pipeline would exhaust a laptop's disk after a few dozen pipelines), and at the limit nats-server 2.9
     * evicts instead of refusing. Riffle enforces RIFFLE_MAX_STREAM_BYTES itself ({@link StreamGuard}): publishes
     * are refused, runners wait.
     */
    void ensurePipeline(String pipelineId, InputRouting routing) throws IOException, JetStreamApiException {
        ensureStream(StreamConfiguration.builder().name(names.inStream(pipelineId))
            .subjects(names.inSubject(pipelineId), names.partitionWildcard(pipelineId))
            .retentionPolicy(RetentionPolicy.Limits)
            .discardPolicy(DiscardPolicy.New).maxAge(config.maxAge())
            .duplicateWindow(config.dedupeWindow()).storageType(StorageType.File)
            .replicas(config.streamReplicas()).build());
        for (var stream : new String[] {names.outStream(pipelineId), names.failedStream(pipelineId)}) {
            var subject = stream.equals(names.outStream(pipelineId))
                ? names.outSubject(pipelineId) : names.failedSubject(pipelineId);
            ensureStream(StreamConfiguration.builder().name(stream).subjects(subject)
                .retentionPolicy(RetentionPolicy.Interest).discardPolicy(DiscardPolicy.New)
                .maxAge(config.maxAge())
                .duplicateWindow(config.dedupeWindow()).storageType(StorageType.File)
                .replicas(config.streamReplicas()).build());
            if (!hasConsumer(stream, ConnectorStreams.SINK)) {
                // a sink connector owns the output: results are not kept for the consume API as well
                ensureConsumer(stream, durable(StreamNames.API, config.ackWait(), 10_000));
            }
        }
        new PartitionConsumers(jsm, names, config.ackWait()).ensure(pipelineId, routing);
    }

    void delete(String pipelineId) throws IOException, JetStreamApiException {
        for (var stream : new String[] {names.inStream(pipelineId), names.outStream(pipelineId),
            names.failedStream(pipelineId)}) {
            try {
                jsm.deleteStream(stream);
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() != NOT_FOUND) {
                    throw e;
                }
            }
        }
        jsm.purgeStream(names.logsStream(), PurgeOptions.subject(names.logsSubject(pipelineId)));
    }

    static ConsumerConfiguration durable(String name, Duration ackWait, int maxAckPending) {
        return ConsumerConfiguration.builder().durable(name).ackPolicy(AckPolicy.Explicit).ackWait(ackWait)
            .deliverPolicy(DeliverPolicy.All).maxDeliver(-1).maxAckPending(maxAckPending).build();
    }

    private void ensureStream(StreamConfiguration sc) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(sc.getName());
            jsm.updateStream(sc);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != NOT_FOUND) {
                throw e;
            }
            jsm.addStream(sc);
        }
    }

    private boolean hasConsumer(String stream, String name) throws IOException, JetStreamApiException {
        try {
            jsm.getConsumerInfo(stream, name);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    private void ensureConsumer(String stream, ConsumerConfiguration cc) throws IOException, JetStreamApiException {
        try {
            jsm.getConsumerInfo(stream, cc.getDurable());
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != NOT_FOUND) {
                throw e;
            }
            jsm.addOrUpdateConsumer(stream, cc);
        }
    }
}
