package io.riffle.broker;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.riffle.core.ConflictException;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner consumers of an input stream: {@code runner} on the plain subject {@code <prefix>.<id>.in} (unordered
 * events, up to {@link StreamSetup#RUNNER_MAX_ACK_PENDING} in flight), and with ordering by key one
 * {@code runner-<n>} per partition subject {@code <prefix>.<id>.in.<n>} with {@code max_ack_pending} 1: JetStream
 * itself never lets two events of one partition be in flight, whichever runner or engine pulls them.
 */
final class PartitionConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionConsumers.class);
    private static final int NOT_FOUND = 404;
    private final JetStreamManagement jsm;
    private final StreamNames names;
    private final Duration ackWait;

    PartitionConsumers(JetStreamManagement jsm, StreamNames names, Duration ackWait) {
        this.jsm = jsm;
        this.names = names;
        this.ackWait = ackWait;
    }

    /**
     * Creates the consumers {@code routing} needs and deletes idle partition consumers it does not. A consumer
     * created on a stream that already holds events starts after them (they were processed under the old layout).
     *
     * @throws ConflictException when the layout would change under events still waiting in the old one
     */
    void ensure(String pipelineId, InputRouting routing) throws IOException, JetStreamApiException {
        var stream = names.inStream(pipelineId);
        long next = jsm.getStreamInfo(stream).getStreamState().getLastSequence() + 1;
        var plain = find(stream, StreamNames.RUNNER);
        var plainFilter = names.inSubject(pipelineId);
        if (plain != null && !plainFilter.equals(plain.getConsumerConfiguration().getFilterSubject())
            && routing.partitioned()) {
            // a consumer of an older Riffle reads every subject of the stream: it would see the partitions too
            requireIdle(pipelineId, plain);
            jsm.deleteConsumer(stream, StreamNames.RUNNER);
            create(stream, StreamNames.RUNNER, plainFilter, StreamSetup.RUNNER_MAX_ACK_PENDING,
                plain.getDelivered().getStreamSequence() + 1);
        } else if (plain == null) {
            create(stream, StreamNames.RUNNER, plainFilter, StreamSetup.RUNNER_MAX_ACK_PENDING, next);
        }
        for (int n = 0; n < routing.partitions(); n++) {
            if (find(stream, StreamNames.partitionConsumer(n)) == null) {
                create(stream, StreamNames.partitionConsumer(n), names.partitionSubject(pipelineId, n), 1, next);
            }
        }
        for (var name : jsm.getConsumerNames(stream)) {
            if (name.startsWith(StreamNames.RUNNER + "-") && index(name) >= routing.partitions()) {
                var info = find(stream, name);
                if (info != null && info.getNumPending() + info.getNumAckPending() == 0) {
                    jsm.deleteConsumer(stream, name);
                } else if (info != null) {
                    LOG.warn("pipeline {}: partition consumer {} still holds {} event(s); kept", pipelineId, name,
                        info.getNumPending() + info.getNumAckPending());
                }
            }
        }
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name.substring(StreamNames.RUNNER.length() + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static void requireIdle(String pipelineId, ConsumerInfo info) {
        long waiting = info.getNumPending() + info.getNumAckPending();
        if (waiting > 0) {
            throw new ConflictException("pipeline " + pipelineId + " has " + waiting + " event(s) waiting in its "
                + "input; the ordering can change once they are processed");
        }
    }

    private ConsumerInfo find(String stream, String name) throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(stream, name);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private void create(String stream, String name, String filter, int maxAckPending, long startSeq)
        throws IOException, JetStreamApiException {
        var b = ConsumerConfiguration.builder(StreamSetup.durable(name, ackWait, maxAckPending))
            .filterSubject(filter);
        if (startSeq > 1) {
            b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startSeq);
        }
        jsm.addOrUpdateConsumer(stream, b.build());
    }
}
