package io.riffle.broker;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.riffle.core.NotFoundException;
import java.io.IOException;

/** Reads what waits and what is in flight in a pipeline's input, over its runner consumers. */
final class RunnerCounts {
    private final JetStreamManagement jsm;
    private final StreamNames names;

    RunnerCounts(JetStreamManagement jsm, StreamNames names) {
        this.jsm = jsm;
        this.names = names;
    }

    /**
     * Unordered: the {@code runner} consumer alone, in one request (its last sequence is delivered plus pending).
     * Partitioned: the sums over {@code runner} and every {@code runner-<n>} (one listing), with the stream's last
     * sequence (one more request).
     *
     * @throws NotFoundException when the pipeline has no runner consumer
     */
    InputState read(String pipelineId, boolean partitioned) throws IOException, JetStreamApiException {
        var stream = names.inStream(pipelineId);
        if (!partitioned) {
            var c = jsm.getConsumerInfo(stream, StreamNames.RUNNER);
            return new InputState(c.getNumPending(), c.getNumAckPending(),
                c.getDelivered().getStreamSequence() + c.getNumPending());
        }
        long pending = 0;
        long ackPending = 0;
        int found = 0;
        for (var c : jsm.getConsumers(stream)) {
            if (StreamNames.runnerConsumer(c.getName())) {
                pending += c.getNumPending();
                ackPending += c.getNumAckPending();
                found++;
            }
        }
        if (found == 0) {
            throw new NotFoundException("pipeline " + pipelineId + " has no runner consumers");
        }
        return new InputState(pending, ackPending, jsm.getStreamInfo(stream).getStreamState().getLastSequence());
    }
}
